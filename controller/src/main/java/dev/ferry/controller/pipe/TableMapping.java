package dev.ferry.controller.pipe;

import java.util.List;

/**
 * One collection of a pipe and the ClickHouse table it is replicated into; {@code excludeFields}: dotted paths
 * left out of the table's {@code doc} column (and written nowhere).
 */
public record TableMapping(String sourceDatabaseName, String sourceCollection, String targetTable,
                           List<String> excludeFields) {

    public TableMapping {
        // a catalog written before exclusions existed has none
        excludeFields = excludeFields == null ? List.of() : List.copyOf(excludeFields);
    }

    public TableMapping(String sourceDatabaseName, String sourceCollection, String targetTable) {
        this(sourceDatabaseName, sourceCollection, targetTable, List.of());
    }

    /** {@code db.collection}. */
    public String namespace() {
        return sourceDatabaseName + "." + sourceCollection;
    }
}
