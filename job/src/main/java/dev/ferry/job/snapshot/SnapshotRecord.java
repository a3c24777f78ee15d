package dev.ferry.job.snapshot;

import org.bson.BsonValue;

import dev.ferry.job.row.ChangeRow;

/** A document read by the snapshot: its {@code _id} (where its split goes on after it) and its row. */
record SnapshotRecord(BsonValue id, ChangeRow row) {
}
