package dev.ferry.controller.pipe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One collection of a pipe and the ClickHouse table it is replicated into; {@code excludeFields}: dotted paths
 * left out of the table's {@code doc} column (and written nowhere); {@code engineSettings}: the table's
 * {@code SETTINGS} (MergeTree settings by name, values as given); {@code columns}: typed columns filled from the
 * documents; {@code orderBy}: the sorting key (typed columns, ending with {@code _id}; empty: {@code _id} alone);
 * {@code partitionBy}: a partition expression over typed columns, or empty.
 */
public record TableMapping(String sourceDatabaseName, String sourceCollection, String targetTable,
                           List<String> excludeFields, Map<String, String> engineSettings, List<ColumnMapping> columns,
                           List<String> orderBy, String partitionBy) {

    public TableMapping {
        // a catalog written before these options existed has none
        excludeFields = excludeFields == null ? List.of() : List.copyOf(excludeFields);
        engineSettings = engineSettings == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(engineSettings));
        columns = columns == null ? List.of() : List.copyOf(columns);
        orderBy = orderBy == null ? List.of() : List.copyOf(orderBy);
        partitionBy = partitionBy == null ? "" : partitionBy;
    }

    public TableMapping(String sourceDatabaseName, String sourceCollection, String targetTable) {
        this(sourceDatabaseName, sourceCollection, targetTable, List.of(), Map.of(), List.of(), List.of(), "");
    }

    /** {@code db.collection}. */
    public String namespace() {
        return sourceDatabaseName + "." + sourceCollection;
    }

    /**
     * The typed columns in the table's sorting or partition key: a document whose values of them change moves to
     * another key, and the job follows them to leave no row behind.
     */
    public List<String> keyColumns() {
        Set<String> key = new LinkedHashSet<>(orderBy);
        key.addAll(PartitionExpression.columnsOf(partitionBy));
        key.remove("_id");
        return new ArrayList<>(key);
    }

    /** The same mapping with {@code added} columns after its own. */
    public TableMapping withColumnsAdded(List<ColumnMapping> added) {
        List<ColumnMapping> all = new ArrayList<>(columns);
        all.addAll(added);
        return new TableMapping(sourceDatabaseName, sourceCollection, targetTable, excludeFields, engineSettings, all,
            orderBy, partitionBy);
    }

    /** A typed column: its {@code name} in the table, the dotted {@code path} it takes, its {@code type}. */
    public record ColumnMapping(String name, String path, String type) {
    }
}
