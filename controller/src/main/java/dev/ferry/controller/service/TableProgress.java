package dev.ferry.controller.service;

import java.time.Instant;
import java.util.Optional;

import dev.ferry.controller.connect.SyncLog;
import dev.ferry.controller.pipe.Phase;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.SyncObservation;
import dev.ferry.controller.pipe.TableMapping;

/**
 * One table of a pipe as {@code GET /v1/pipes/{id}/tables} shows it, from the sync log: the snapshot's progress
 * (queued while other tables take their turn, then rows loaded out of the collection's estimated count, rate, time
 * left; done once every range of the load has ended in a committed sync, so that its rows are all counted), the
 * changes applied since the table was last loaded, and the values that did not fit their typed columns.
 * {@code countedAt} is when the log was read; counts the controller has not read yet are null.
 */
public record TableProgress(String targetTable, String source, Snapshot snapshot, Cdc cdc, Columns columns,
                            String countedAt) {

    /**
     * @param status     skipped (a {@code cdc_only} pipe), pending (no job runs it yet), queued (its job runs and
     *                   has committed none of its rows yet: it waits for its turn, or began since the last sync),
     *                   running, done
     * @param rowsLoaded the load's snapshot rows committed; null when not known (the log not read yet, or a load
     *                   that ended before ferry kept a sync log)
     */
    public record Snapshot(String status, Long rowsLoaded, long rowsEstimated, Double rowsPerSecond, Long etaSeconds) {
    }

    /** Changes applied since the table was last loaded, by kind, and when it last received rows (ISO-8601). */
    public record Cdc(long inserts, long updates, long replaces, long deletes, String lastSyncedAt) {
    }

    /**
     * The typed columns' values that did not fit their types since the table was last loaded (they hold NULL or
     * the type's default), and the {@code _id} of a document that had such a value; null for a table without typed
     * columns.
     */
    public record Columns(long mismatches, String exampleId) {
    }

    static TableProgress of(Pipe pipe, TableMapping mapping, Optional<SyncObservation> sync) {
        String table = mapping.targetTable();
        PipeStatus.TableState state = pipe.status().tables().get(table);
        long estimated = state == null ? 0 : state.rowsEstimated();
        if (sync.isEmpty()) {
            String status = !pipe.spec().settings().replicationMode().snapshots() ? "skipped"
                : state != null && state.loaded() ? "done" : "pending";
            return new TableProgress(table, mapping.namespace(), new Snapshot(status, null, estimated, null, null),
                null, null, null);
        }
        SyncLog.LoadTotals load = sync.get().load(table).orElse(SyncLog.LoadTotals.none(table,
            state == null ? 0 : state.loadId()));
        Snapshot snapshot = snapshot(pipe, state, load, estimated, sync.get().snapshotRates().get(table));
        Cdc cdc = new Cdc(load.inserts(), load.updates(), load.replaces(), load.deletes(),
            load.lastSyncedMillis() > 0 ? Instant.ofEpochMilli(load.lastSyncedMillis()).toString() : null);
        Columns columns = mapping.columns().isEmpty() ? null : new Columns(load.mismatches(),
            load.mismatchExample().isEmpty() ? null : load.mismatchExample());
        return new TableProgress(table, mapping.namespace(), snapshot, cdc, columns,
            Instant.ofEpochMilli(sync.get().readAtMillis()).toString());
    }

    private static Snapshot snapshot(Pipe pipe, PipeStatus.TableState state, SyncLog.LoadTotals load, long estimated,
                                     Double rate) {
        if (!pipe.spec().settings().replicationMode().snapshots()) {
            return new Snapshot("skipped", 0L, estimated, null, null);
        }
        if (load.loaded()) {
            return new Snapshot("done", load.snapshot(), estimated, null, null);
        }
        if (state != null && state.loaded() && state.loadId() == 0) {
            // loaded before ferry kept a sync log: its rows were not counted
            return new Snapshot("done", null, estimated, null, null);
        }
        if (load.snapshot() > 0 || load.rangesDone() > 0) {
            Long eta = rate == null || rate <= 0 ? null
                : (long) Math.ceil(Math.max(0, estimated - load.snapshot()) / rate);
            return new Snapshot("running", load.snapshot(), estimated, rate, eta);
        }
        boolean jobRuns = pipe.status().phase() == Phase.DEPLOYED;
        return new Snapshot(jobRuns ? "queued" : "pending", 0L, estimated, null, null);
    }
}
