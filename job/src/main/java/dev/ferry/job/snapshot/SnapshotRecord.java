package dev.ferry.job.snapshot;

import org.bson.BsonValue;

import dev.ferry.job.row.ChangeRow;

/**
 * A document read by the snapshot: its {@code _id} (where its split goes on after it) and its row; or, with neither,
 * the end of its split, after every document of the range.
 */
record SnapshotRecord(BsonValue id, ChangeRow row) {

    static final SnapshotRecord END = new SnapshotRecord(null, null);

    boolean isEnd() {
        return row == null;
    }
}
