package dev.ferry.job.sync;

import java.io.Serializable;

/**
 * What one writer made durable in one table during one sync: rows by operation, their bytes, the typed-column values
 * that did not fit (and one such document's {@code _id}, or empty), how long the inserts took, the versions of the
 * oldest and newest change (0 without changes), and how many snapshot range ends it passed, of how many the load
 * has (0 when it passed none). A row of the sync log ({@code sql/create_sync_log.sql}).
 */
public record TableSync(String table, long loadId, long snapshot, long inserts, long updates, long replaces,
                        long deletes, long bytes, long mismatches, String mismatchExample, long writeMillis,
                        long firstVersion, long lastVersion, int rangesDone, int ranges) implements Serializable {

    public TableSync {
        mismatchExample = mismatchExample == null ? "" : mismatchExample;
    }
}
