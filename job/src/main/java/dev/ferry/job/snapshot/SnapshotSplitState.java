package dev.ferry.job.snapshot;

import org.bson.BsonValue;

/**
 * A split being read: the last {@code _id} emitted, which its checkpointed form resumes after, and how many
 * documents were emitted from it (read by the reader's gauge from another thread).
 */
final class SnapshotSplitState {

    private final SnapshotSplit split;
    private BsonValue after;
    private volatile long rows;

    SnapshotSplitState(SnapshotSplit split) {
        this.split = split;
        this.after = split.after();
        this.rows = split.rows();
    }

    void emitted(BsonValue id) {
        after = id;
        rows++;
    }

    String loadKey() {
        return split.loadKey();
    }

    long rows() {
        return rows;
    }

    SnapshotSplit toSplit() {
        return after == null ? split : split.resumedAfter(after, rows);
    }
}
