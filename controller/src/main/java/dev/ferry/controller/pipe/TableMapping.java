package dev.ferry.controller.pipe;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One collection of a pipe and the ClickHouse table it is replicated into; {@code excludeFields}: dotted paths
 * left out of the table's {@code doc} column (and written nowhere); {@code engineSettings}: the table's
 * {@code SETTINGS} (MergeTree settings by name, values as given).
 */
public record TableMapping(String sourceDatabaseName, String sourceCollection, String targetTable,
                           List<String> excludeFields, Map<String, String> engineSettings) {

    public TableMapping {
        // a catalog written before exclusions and settings existed has none
        excludeFields = excludeFields == null ? List.of() : List.copyOf(excludeFields);
        engineSettings = engineSettings == null ? Map.of() : java.util.Collections.unmodifiableMap(
            new TreeMap<>(engineSettings));
    }

    public TableMapping(String sourceDatabaseName, String sourceCollection, String targetTable) {
        this(sourceDatabaseName, sourceCollection, targetTable, List.of(), Map.of());
    }

    /** {@code db.collection}. */
    public String namespace() {
        return sourceDatabaseName + "." + sourceCollection;
    }
}
