package dev.ferry.controller.connect;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The sync log on a pipe's destination server, which the pipe's job writes (see {@code sql/create_sync_log.sql}):
 * the controller creates it and reads each load's totals, the syncs, and the rows per interval from it. Every
 * method throws a {@link DestinationException} when the server does not answer.
 */
public interface SyncLog {

    /** Creates the log where missing; its rows expire after {@code ttlDays} (0: never) where the server can. */
    void create(int ttlDays);

    /** A pipe's totals per table and load, kept since the load began. */
    List<LoadTotals> totals(String pipeId);

    /** A pipe's newest {@code limit} syncs committed since {@code since}, newest first. */
    List<Sync> history(String pipeId, Instant since, int limit);

    /** A pipe's rows per interval of {@code step} since {@code since}, by operation; intervals without rows left out. */
    List<Interval> throughput(String pipeId, Instant since, Duration step);

    /**
     * One load's totals: rows by operation, their bytes, typed-column values that did not fit (and the newest such
     * document's {@code _id}, or empty), snapshot range ends counted of how many the load has, when it last wrote
     * rows (0: never) and the newest change version it committed (0: none).
     */
    record LoadTotals(String table, long loadId, long syncs, long snapshot, long inserts, long updates, long replaces,
                      long deletes, long bytes, long mismatches, String mismatchExample, long rangesDone, long ranges,
                      long lastSyncedMillis, long lastVersion) {

        public static LoadTotals none(String table, long loadId) {
            return new LoadTotals(table, loadId, 0, 0, 0, 0, 0, 0, 0, 0, "", 0, 0, 0, 0);
        }

        /** Whether every range of the load has ended in a committed sync: all its snapshot rows are counted. */
        public boolean loaded() {
            return ranges > 0 && rangesDone >= ranges;
        }
    }

    /** One sync: a checkpoint of a job, when it was committed, the time its inserts took, and its rows per table. */
    record Sync(String syncId, Instant committedAt, long durationMs, long bytes, List<SyncTable> tables) {

        public Sync {
            tables = List.copyOf(tables);
        }
    }

    /** A table's rows in one sync, by operation. */
    record SyncTable(String targetTable, long snapshot, long inserts, long updates, long replaces, long deletes,
                     long mismatches) {
    }

    /**
     * Rows written in the interval that starts {@code at}, by operation, and the longest a change committed in it had
     * waited, from its cluster time to its commit ({@code lagSeconds}; 0 without changes).
     */
    record Interval(Instant at, long snapshot, long inserts, long updates, long replaces, long deletes,
                    double lagSeconds) {

        public static Interval empty(Instant at) {
            return new Interval(at, 0, 0, 0, 0, 0, 0);
        }
    }
}
