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
 * @param tables               tables added after creation: their own snapshots, and those still to be set up
 */
public record PipeStatus(LifecycleState state, String stateReason, boolean provisioned, boolean setUp,
                         boolean snapshotDone, long startAtOperationTime, String flinkJobId, String failure,
                         String docColumnType, Map<String, Long> rowsEstimated, Pause pause, Resync resync,
                         AddedTables tables) {

    /**
     * Tables added to the pipe after it was created.
     *
     * @param snapshots per table, the generation of its snapshot operator and the cluster time its snapshot started
     * @param pending   tables to create and snapshot when the job starts next
     */
    public record AddedTables(Map<String, TableSnapshot> snapshots, List<String> pending) {
        public static final AddedTables NONE = new AddedTables(Map.of(), List.of());
    }

    public record TableSnapshot(int generation, long startAtOperationTime) {
    }

    public PipeStatus {
        // catalogs written before a field existed read it as null
        pause = pause == null ? Pause.NONE : pause;
        tables = tables == null ? AddedTables.NONE : tables;
        rowsEstimated = rowsEstimated == null ? Map.of() : rowsEstimated;
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
            false, false, 0, null, null, null, Map.of(), Pause.NONE, null, AddedTables.NONE);
    }

    public PipeStatus withState(LifecycleState newState, String reason) {
        return new PipeStatus(newState, reason, provisioned, setUp, snapshotDone, startAtOperationTime, flinkJobId,
            failure, docColumnType, rowsEstimated, pause, resync, tables);
    }

    public PipeStatus provisionedNow() {
        return new PipeStatus(state, stateReason, true, setUp, snapshotDone, startAtOperationTime, flinkJobId,
            failure, docColumnType, rowsEstimated, pause, resync, tables);
    }

    public PipeStatus setUpWith(long startAt, String resolvedDocType, Map<String, Long> estimates, String jobId) {
        return new PipeStatus(state, stateReason, provisioned, true, snapshotDone, startAt, jobId, failure,
            resolvedDocType, Map.copyOf(estimates), pause, resync, tables);
    }

    public PipeStatus snapshotCompleted() {
        return new PipeStatus(state, stateReason, provisioned, setUp, true, startAtOperationTime, flinkJobId,
            failure, docColumnType, rowsEstimated, pause, resync, tables);
    }

    public PipeStatus withJob(String jobId) {
        return new PipeStatus(state, stateReason, provisioned, setUp, snapshotDone, startAtOperationTime, jobId,
            failure, docColumnType, rowsEstimated, pause, resync, tables);
    }

    public PipeStatus withPause(Pause newPause) {
        return new PipeStatus(state, stateReason, provisioned, setUp, snapshotDone, startAtOperationTime, flinkJobId,
            failure, docColumnType, rowsEstimated, newPause, resync, tables);
    }

    /** A resync asked for: the failure and any pause are over, and the snapshot is to be done again. */
    public PipeStatus resyncRequested() {
        return new PipeStatus(state, stateReason, provisioned, setUp, false, startAtOperationTime, flinkJobId, null,
            docColumnType, rowsEstimated, Pause.NONE, Resync.REQUESTED, tables);
    }

    public PipeStatus withResync(Resync step, long startAt, String jobId) {
        return new PipeStatus(state, stateReason, provisioned, setUp, snapshotDone, startAt, jobId, failure,
            docColumnType, rowsEstimated, pause, step, tables);
    }

    public PipeStatus withTables(AddedTables newTables) {
        return new PipeStatus(state, stateReason, provisioned, setUp, snapshotDone, startAtOperationTime, flinkJobId,
            failure, docColumnType, rowsEstimated, pause, resync, newTables);
    }

    /** The snapshot is to be done for new tables: the pipe shows Snapshot until they are loaded. */
    public PipeStatus snapshotPending() {
        return new PipeStatus(state, stateReason, provisioned, setUp, false, startAtOperationTime, flinkJobId,
            failure, docColumnType, rowsEstimated, pause, resync, tables);
    }

    public PipeStatus failedBecause(String reason) {
        return new PipeStatus(state, stateReason, provisioned, setUp, snapshotDone, startAtOperationTime, flinkJobId,
            reason, docColumnType, rowsEstimated, pause, resync, tables);
    }
}
