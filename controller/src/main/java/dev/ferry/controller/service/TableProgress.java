package dev.ferry.controller.service;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.ferry.common.JobGraphNames;
import dev.ferry.controller.flink.FlinkJob;
import dev.ferry.controller.flink.JobCounters;
import dev.ferry.controller.flink.LoadProgress;
import dev.ferry.controller.pipe.Lifecycle;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.TableMapping;

/**
 * One table of a pipe as {@code GET /v1/pipes/{id}/tables} shows it: the snapshot's progress (queued while other
 * tables take their turn, then rows loaded out of the collection's estimated count, rate, time left) and the
 * changes applied since the job last started, and the values that did not fit their typed columns.
 */
public record TableProgress(String targetTable, String source, Snapshot snapshot, Cdc cdc, Columns columns) {

    /**
     * @param status skipped (a {@code cdc_only} pipe), pending (no job runs it yet), queued (waiting for its turn),
     *               running, done
     */
    public record Snapshot(String status, long rowsLoaded, long rowsEstimated, Double rowsPerSecond, Long etaSeconds) {
    }

    /** Changes applied since the job last started, by kind, and when the table last received a row (ISO-8601). */
    public record Cdc(long inserts, long updates, long replaces, long deletes, String lastSyncedAt) {
    }

    /**
     * The typed columns' values that did not fit their types since the job last started (they hold NULL or the
     * type's default), and the {@code _id} of one document that had such a value; null for a table without typed
     * columns.
     */
    public record Columns(long mismatches, String exampleId) {
    }

    static TableProgress of(Pipe pipe, TableMapping mapping, Optional<FlinkJob> job, Map<String, LoadProgress> loads,
                            JobCounters counters, Optional<Instant> lastSyncedAt) {
        String table = mapping.targetTable();
        PipeStatus.TableState state = pipe.status().tables().get(table);
        long estimated = state == null ? 0 : state.rowsEstimated();
        LoadProgress load = loads.get(table);
        Snapshot snapshot;
        if (!pipe.spec().settings().replicationMode().snapshots()) {
            snapshot = new Snapshot("skipped", 0, estimated, null, null);
        } else if (state != null && state.loaded()) {
            snapshot = new Snapshot("done", state.rowsLoaded(), estimated, null, null);
        } else if (job.isPresent() && Lifecycle.snapshotFinished(job.get())) {
            snapshot = new Snapshot("done", load == null ? 0 : load.rowsRead(), estimated, null, null);
        } else if (load == null || job.isEmpty()) {
            snapshot = new Snapshot("pending", 0, estimated, null, null);
        } else {
            snapshot = switch (load.phase()) {
                case QUEUED -> new Snapshot("queued", 0, estimated, null, null);
                case DONE -> new Snapshot("done", load.rowsRead(), estimated, null, null);
                case LOADING -> new Snapshot("running", load.rowsRead(), estimated, load.rowsPerSecond(),
                    load.rowsPerSecond() > 0
                        ? (long) Math.ceil(Math.max(0, estimated - load.rowsRead()) / load.rowsPerSecond()) : null);
            };
        }
        long inserts = counters.count(JobGraphNames.changeCounter(table, "inserts"));
        long updates = counters.count(JobGraphNames.changeCounter(table, "updates"));
        long replaces = counters.count(JobGraphNames.changeCounter(table, "replaces"));
        long deletes = counters.count(JobGraphNames.changeCounter(table, "deletes"));
        Columns columns = mapping.columns().isEmpty() ? null
            : new Columns(counters.count(JobGraphNames.mismatchCounter(table)),
                counters.text(JobGraphNames.mismatchExample(table)).orElse(null));
        return new TableProgress(table, mapping.namespace(), snapshot, new Cdc(inserts, updates, replaces, deletes,
            lastSyncedAt.map(Instant::toString).orElse(null)), columns);
    }
}
