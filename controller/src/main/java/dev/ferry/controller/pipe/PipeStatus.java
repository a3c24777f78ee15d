package dev.ferry.controller.pipe;

import java.util.List;
import java.util.Map;

/**
 * What the controller has observed and done for a pipe, as the reconciler records it. The lifecycle state is
 * derived from these facts and the Flink job's status ({@link StateDerivation}); {@code state} and
 * {@code stateReason} keep the last derivation so that reads and the history agree.
 *
 * @param snapshotDone         every collection has been loaded once; a restored job does not make it Snapshot again
 * @param startAtOperationTime the cluster time (BSON timestamp value) captured before the snapshot began
 * @param failure              why the pipe cannot go on, when the controller itself found out (null otherwise)
 * @param rowsEstimated        per target table, the collection's document count when the snapshot began
 * @param pause                the user's pause and how far it has come
 * @param resync               a resync under way, or null
 * @param tables               tables with snapshots of their own (added or resynced), and those still to be set up
 * @param sourcesGone          per table whose collection was dropped or renamed, what happened to it
 * @param clickhouseVersion    the destination server's version seen at setup, which decides what the job may ask
 */
public record PipeStatus(LifecycleState state, String stateReason, boolean provisioned, boolean setUp,
                         boolean snapshotDone, long startAtOperationTime, String flinkJobId, String failure,
                         String docColumnType, Map<String, Long> rowsEstimated, Pause pause, Resync resync,
                         TableSnapshots tables, Map<String, String> sourcesGone, String clickhouseVersion) {

    /**
     * Tables with a snapshot of their own, apart from the pipe's first one: tables added after the pipe was created,
     * and tables resynced on their own.
     *
     * @param snapshots     per table, its own snapshot
     * @param pending       tables added, to create and snapshot when the job starts next
     * @param pendingResync tables to resync on their own when the job starts next
     */
    public record TableSnapshots(Map<String, TableSnapshot> snapshots, List<String> pending,
                                 List<String> pendingResync) {
        public static final TableSnapshots NONE = new TableSnapshots(Map.of(), List.of(), List.of());

        public TableSnapshots {
            pendingResync = pendingResync == null ? List.of() : pendingResync;
        }

        /** Nothing waits to be set up before the job starts again. */
        public boolean nothingPending() {
            return pending.isEmpty() && pendingResync.isEmpty();
        }

        /** The tables being resynced on their own that have reached {@code step}. */
        public List<String> resyncing(TableResync step) {
            return snapshots.entrySet().stream().filter(e -> e.getValue().resync() == step).map(Map.Entry::getKey)
                .sorted().toList();
        }

        public boolean isResyncing(String table) {
            return pendingResync.contains(table)
                || (snapshots.containsKey(table) && snapshots.get(table).resync() != null);
        }

        public TableSnapshots withPendingResync(String table) {
            List<String> tables = new java.util.ArrayList<>(pendingResync);
            tables.add(table);
            return new TableSnapshots(snapshots, pending, List.copyOf(tables));
        }

        /** The same snapshots, with those of {@code tables} at resync step {@code step} (null: resync over). */
        public TableSnapshots withResyncStep(List<String> tables, TableResync step) {
            Map<String, TableSnapshot> changed = new java.util.HashMap<>(snapshots);
            tables.forEach(table -> changed.computeIfPresent(table, (name, own) -> own.withResync(step)));
            return new TableSnapshots(Map.copyOf(changed), pending, pendingResync);
        }
    }

    /**
     * A table's own snapshot: the generation that names its snapshot operator, the cluster time it started from,
     * and, for a table resynced on its own, how far the resync has come (null otherwise).
     */
    public record TableSnapshot(int generation, long startAtOperationTime, TableResync resync) {
        public TableSnapshot withResync(TableResync step) {
            return new TableSnapshot(generation, startAtOperationTime, step);
        }
    }

    /** The steps of one table's resync, while the pipe's other tables go on. */
    public enum TableResync {
        /** its snapshot (and its changes) go into {@code <table>_resync} */
        LOADING,
        /** loaded: the job stops with a savepoint, {@code <table>_resync} is swapped in, the job goes on */
        LOADED
    }

    public PipeStatus {
        // catalogs written before a field existed read it as null
        pause = pause == null ? Pause.NONE : pause;
        tables = tables == null ? TableSnapshots.NONE : tables;
        rowsEstimated = rowsEstimated == null ? Map.of() : rowsEstimated;
        sourcesGone = sourcesGone == null ? Map.of() : sourcesGone;
    }

    /** The steps of a resync: a fresh snapshot into {@code <table>_resync} tables, then the swap. */
    public enum Resync {
        /** asked for; the old job is to be stopped and the new one started */
        REQUESTED,
        /** the new job loads into the {@code _resync} tables (and streams changes into them) */
        LOADING,
        /** loaded: the job stops with a savepoint, the tables are swapped, the job goes on with the originals */
        SWAPPING;

        /** The suffix of the tables the job writes to in this step. */
        public String tableSuffix() {
            return this == REQUESTED ? "" : "_resync";
        }
    }

    /**
     * A pause: asked for by the user, carried out by stopping the job with a savepoint (or, when the savepoint
     * fails, by falling back to the newest retained checkpoint).
     *
     * @param requested  the user wants the pipe paused
     * @param trigger    Flink's id of the stop-with-savepoint under way, if any
     * @param resumeFrom the savepoint or checkpoint the job resumes from
     * @param notice     what went wrong with the last pause, for the user
     * @param restart    resume by itself once stopped: how new settings reach the job (state Modifying)
     */
    public record Pause(boolean requested, String trigger, String resumeFrom, String notice, boolean restart) {
        public static final Pause NONE = new Pause(false, null, null, null, false);

        /** A pause the user asked for, or (with {@code restart}) a stop-and-start to apply new settings. */
        public static Pause requested(boolean restart) {
            return new Pause(true, null, null, null, restart);
        }

        public Pause triggered(String triggerId) {
            return new Pause(requested, triggerId, null, null, restart);
        }

        /** The job stopped at {@code position}; {@code why} is set when it is not the savepoint that was asked for. */
        public Pause stoppedAt(String position, String why) {
            return new Pause(requested, null, position, why, restart);
        }

        /** The pause could not be carried out and the job goes on; {@code why} tells the user. */
        public Pause abandoned(String why) {
            return new Pause(false, null, null, why, false);
        }

        /** Resume from where the job stopped. */
        public Pause released() {
            return new Pause(false, null, resumeFrom, null, false);
        }
    }

    public static PipeStatus created() {
        return new PipeStatus(LifecycleState.PROVISIONING, "validating and bringing up the Flink cluster", false,
            false, false, 0, null, null, null, Map.of(), Pause.NONE, null, TableSnapshots.NONE, Map.of(), null);
    }

    public PipeStatus withState(LifecycleState newState, String reason) {
        return new PipeStatus(newState, reason, provisioned, setUp, snapshotDone, startAtOperationTime, flinkJobId,
            failure, docColumnType, rowsEstimated, pause, resync, tables, sourcesGone, clickhouseVersion);
    }

    public PipeStatus provisionedNow() {
        return new PipeStatus(state, stateReason, true, setUp, snapshotDone, startAtOperationTime, flinkJobId,
            failure, docColumnType, rowsEstimated, pause, resync, tables, sourcesGone, clickhouseVersion);
    }

    public PipeStatus setUpWith(long startAt, String resolvedDocType, String serverVersion, Map<String, Long> estimates,
                                String jobId) {
        return new PipeStatus(state, stateReason, provisioned, true, snapshotDone, startAt, jobId, failure,
            resolvedDocType, Map.copyOf(estimates), pause, resync, tables, sourcesGone, serverVersion);
    }

    public PipeStatus snapshotCompleted() {
        return new PipeStatus(state, stateReason, provisioned, setUp, true, startAtOperationTime, flinkJobId,
            failure, docColumnType, rowsEstimated, pause, resync, tables, sourcesGone, clickhouseVersion);
    }

    public PipeStatus withJob(String jobId) {
        return new PipeStatus(state, stateReason, provisioned, setUp, snapshotDone, startAtOperationTime, jobId,
            failure, docColumnType, rowsEstimated, pause, resync, tables, sourcesGone, clickhouseVersion);
    }

    public PipeStatus withPause(Pause newPause) {
        return new PipeStatus(state, stateReason, provisioned, setUp, snapshotDone, startAtOperationTime, flinkJobId,
            failure, docColumnType, rowsEstimated, newPause, resync, tables, sourcesGone, clickhouseVersion);
    }

    /** A resync asked for: the failure and any pause are over, and the snapshot is to be done again. */
    public PipeStatus resyncRequested() {
        // every table is loaded again, so none keeps a snapshot of its own
        return new PipeStatus(state, stateReason, provisioned, setUp, false, startAtOperationTime, flinkJobId, null,
            docColumnType, rowsEstimated, Pause.NONE, Resync.REQUESTED, TableSnapshots.NONE, Map.of(),
            clickhouseVersion);
    }

    public PipeStatus withResync(Resync step, long startAt, String jobId) {
        return new PipeStatus(state, stateReason, provisioned, setUp, snapshotDone, startAt, jobId, failure,
            docColumnType, rowsEstimated, pause, step, tables, sourcesGone, clickhouseVersion);
    }

    public PipeStatus withTables(TableSnapshots newTables) {
        return new PipeStatus(state, stateReason, provisioned, setUp, snapshotDone, startAtOperationTime, flinkJobId,
            failure, docColumnType, rowsEstimated, pause, resync, newTables, sourcesGone, clickhouseVersion);
    }

    /** The snapshot is to be done for new tables: the pipe shows Snapshot until they are loaded. */
    public PipeStatus snapshotPending() {
        return new PipeStatus(state, stateReason, provisioned, setUp, false, startAtOperationTime, flinkJobId,
            failure, docColumnType, rowsEstimated, pause, resync, tables, sourcesGone, clickhouseVersion);
    }

    public PipeStatus withEstimates(Map<String, Long> estimates) {
        Map<String, Long> merged = new java.util.HashMap<>(rowsEstimated);
        merged.putAll(estimates);
        return new PipeStatus(state, stateReason, provisioned, setUp, snapshotDone, startAtOperationTime, flinkJobId,
            failure, docColumnType, Map.copyOf(merged), pause, resync, tables, sourcesGone, clickhouseVersion);
    }

    /** The same, knowing also of these collections dropped or renamed (table -> what happened). */
    public PipeStatus withSourcesGone(Map<String, String> gone) {
        Map<String, String> merged = new java.util.TreeMap<>(sourcesGone);
        merged.putAll(gone);
        return new PipeStatus(state, stateReason, provisioned, setUp, snapshotDone, startAtOperationTime, flinkJobId,
            failure, docColumnType, rowsEstimated, pause, resync, tables, Map.copyOf(merged), clickhouseVersion);
    }

    /** The same, the table being resynced or removed: what happened to its collection no longer matters. */
    public PipeStatus withoutSourceGone(java.util.Collection<String> tablesDone) {
        Map<String, String> left = new java.util.TreeMap<>(sourcesGone);
        tablesDone.forEach(left::remove);
        return new PipeStatus(state, stateReason, provisioned, setUp, snapshotDone, startAtOperationTime, flinkJobId,
            failure, docColumnType, rowsEstimated, pause, resync, tables, Map.copyOf(left), clickhouseVersion);
    }

    public PipeStatus failedBecause(String reason) {
        return new PipeStatus(state, stateReason, provisioned, setUp, snapshotDone, startAtOperationTime, flinkJobId,
            reason, docColumnType, rowsEstimated, pause, resync, tables, sourcesGone, clickhouseVersion);
    }
}
