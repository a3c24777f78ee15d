package dev.ferry.controller.pipe;

/** One collection of a pipe and the ClickHouse table it is replicated into. */
public record TableMapping(String sourceDatabaseName, String sourceCollection, String targetTable) {

    /** {@code db.collection}. */
    public String namespace() {
        return sourceDatabaseName + "." + sourceCollection;
    }
}
