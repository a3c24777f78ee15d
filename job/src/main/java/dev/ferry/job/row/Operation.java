package dev.ferry.job.row;

/**
 * What made a {@link ChangeRow}. The first five are what the sync log counts per table; the others are rows the job
 * passes between its operators for what is not a document's row of its own: a deleted row left on a document's old
 * key, the end of a snapshot range, a change that writes no row but moves the stream's position, and the drop or
 * rename of a watched collection.
 */
public enum Operation {
    /** a document the snapshot read */
    SNAPSHOT,
    INSERT,
    UPDATE,
    REPLACE,
    DELETE,
    /** the deleted row a document leaves on the key it moved away from ({@code keys/FollowKeys}) */
    KEY_MOVED,
    /** the end of a snapshot range: written nowhere, counted by the sink so that the sync log knows a load is done */
    RANGE_DONE,
    /**
     * a change of a watched collection that writes no row (an update whose document is already gone, a delete of a
     * table that keeps deletes): written nowhere, but the sync log records its version as passed
     */
    POSITION,
    /** a watched collection was dropped (also by dropping its database) */
    DROPPED,
    /** a watched collection was renamed; the row's doc names the new namespace */
    RENAMED;

    /** The operation of a change event's {@code operationType}, or null for one that makes no row of a document. */
    public static Operation ofChange(String operationType) {
        return switch (operationType) {
            case "insert" -> INSERT;
            case "update" -> UPDATE;
            case "replace" -> REPLACE;
            case "delete" -> DELETE;
            case "drop" -> DROPPED;
            case "rename" -> RENAMED;
            default -> null;
        };
    }

    /** Whether a row of this operation goes into its table. */
    public boolean isWritten() {
        return this == SNAPSHOT || this == INSERT || this == UPDATE || this == REPLACE || this == DELETE
            || this == KEY_MOVED;
    }

    /** Whether a row of this operation stands for a change read from the change stream (and carries its version). */
    public boolean isChange() {
        return this == INSERT || this == UPDATE || this == REPLACE || this == DELETE || this == KEY_MOVED
            || this == POSITION;
    }
}
