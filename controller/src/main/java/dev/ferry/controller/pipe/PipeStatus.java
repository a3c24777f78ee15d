package dev.ferry.controller.pipe;

import java.util.List;
import java.util.Map;

/**
 * What the controller observed and did for a pipe, written only by the reconciler (the operator's {@code status}).
 * The lifecycle state is derived from it, the spec and the newest observation of the job ({@link Lifecycle}).
 *
 * @param observedGeneration the spec generation the reconciler has applied in full
 * @param lastReconciledSpec the spec the pipe's job was last submitted with (null before the first)
 * @param jobId              the Flink job of the last submission; its id is chosen (and recorded) before submitting
 * @param stop               the stop with a savepoint under way (phase STOPPING), or null
 * @param resumeFrom         the savepoint or checkpoint the next submission starts from (null: the start position)
 * @param stopNotice         what the last stop had to settle for when it could not take a savepoint, or null
 * @param lastCheckpoint     the job's newest completed checkpoint seen
 * @param setup              what setup learnt: the change stream's start, the column types the server allows
 * @param tables             per table the job replicates, its own snapshot and resync
 * @param snapshotDone       every collection has been loaded once; a restored job does not make it Snapshot again
 * @param resync             a resync of the whole pipe under way, or null
 * @param resyncNonce        the spec's whole-pipe resync nonce last acted on
 * @param sourcesGone        per table whose collection was dropped or renamed, what happened to it
 * @param retry              the step that failed for a reason that can heal, and when it is tried again, or null
 * @param failure            why the pipe cannot go on (Failed), or null
 */
public record PipeStatus(long observedGeneration, PipeSpec lastReconciledSpec, Phase phase, String jobId, Stop stop,
                         String resumeFrom, String stopNotice, Checkpoint lastCheckpoint, Setup setup,
                         Map<String, TableState> tables, boolean snapshotDone, WholeResync resync, long resyncNonce,
                         Map<String, SourceGone> sourcesGone, Retry retry, String failure) {

    public PipeStatus {
        tables = tables == null ? Map.of() : Map.copyOf(tables);
        sourcesGone = sourcesGone == null ? Map.of() : Map.copyOf(sourcesGone);
    }

    /**
     * A stop with a savepoint, as a goal pursued over attempts: Flink's trigger id of the current attempt (chosen
     * before triggering, so that triggering again cannot start a second), how many attempts, since when, and the
     * savepoint once taken (the job then ends by itself).
     */
    public record Stop(String triggerId, int attempts, long firstAttemptMillis, String savepoint) {

        public static Stop first(String triggerId, long now) {
            return new Stop(triggerId, 1, now, null);
        }

        /** Another attempt, under a new trigger id. */
        public Stop retried(String newTriggerId) {
            return new Stop(newTriggerId, attempts + 1, firstAttemptMillis, null);
        }

        public Stop completedAt(String location) {
            return new Stop(triggerId, attempts, firstAttemptMillis, location);
        }
    }

    /** A completed checkpoint: where Flink wrote it, and when. */
    public record Checkpoint(String path, long completedAtMillis) {
    }

    /**
     * What the first setup learnt: the cluster time the change stream starts from (captured before the snapshot),
     * the {@code doc} column's type and the ClickHouse version, which decide what the job may ask of the server.
     */
    public record Setup(long startAtOperationTime, String docColumnType, String clickhouseVersion) {
    }

    /**
     * A table the job replicates. Tables of the pipe's first setup have generation 0 and load from the pipe's
     * start; a table added later or resynced on its own has a snapshot of its own, named by its generation and
     * starting at its own cluster time.
     *
     * @param resync        how far a resync of this table alone has come, or null
     * @param resyncNonce   the spec's resync nonce of this table last acted on
     * @param rowsEstimated the collection's document count when its load was set up
     * @param loaded        its collection is loaded (this generation's snapshot is in ClickHouse): a job no longer
     *                      loads it
     * @param loadId        the load its rows count toward in the sync log: each setup of the table (a resync of it,
     *                      or of the pipe) starts a new one, so its counts start over
     */
    public record TableState(int generation, long startAtOperationTime, TableResync resync, long resyncNonce,
                             long rowsEstimated, boolean loaded, long loadId) {

        /** A table whose collection is to be loaded (unless the pipe takes no snapshots), as load {@code loadId}. */
        public static TableState toLoad(int generation, long startAtOperationTime, TableResync resync,
                                        long resyncNonce, long rowsEstimated, boolean snapshots, long loadId) {
            return new TableState(generation, startAtOperationTime, resync, resyncNonce, rowsEstimated, !snapshots,
                loadId);
        }

        /** The id of a table's next load, set up at {@code nowMillis}: later than its last load's. */
        public static long nextLoadId(long nowMillis, TableState previous) {
            return previous == null ? nowMillis : Math.max(nowMillis, previous.loadId() + 1);
        }

        public TableState withResync(TableResync step) {
            return new TableState(generation, startAtOperationTime, step, resyncNonce, rowsEstimated, loaded, loadId);
        }

        public TableState asLoaded() {
            return new TableState(generation, startAtOperationTime, resync, resyncNonce, rowsEstimated, true, loadId);
        }
    }

    /** The steps of one table's resync, while the pipe's other tables go on. */
    public enum TableResync {
        /** its snapshot (and its changes) go into {@code <table>_resync} */
        LOADING,
        /** loaded: the job stops with a savepoint, {@code <table>_resync} is swapped in, the job goes on */
        LOADED
    }

    /** The steps of a resync of the whole pipe: a fresh snapshot into {@code _resync} tables, then the swap. */
    public enum WholeResync {
        /** the new job loads into the {@code _resync} tables (and streams changes into them) */
        LOADING,
        /** loaded: the job stops with a savepoint, the tables are swapped, the job goes on with the originals */
        SWAPPING
    }

    /** The suffix of the tables the job writes to while a whole-pipe resync loads. */
    public static final String RESYNC_SUFFIX = "_resync";

    /**
     * A step that failed for a reason that can heal (a server not answering, a timeout), tried again at
     * {@code nextAttemptMillis}, or at once when the spec changes ({@code generation} is the one it failed under).
     */
    public record Retry(String error, int attempts, long nextAttemptMillis, long generation) {
    }

    public static PipeStatus initial() {
        return new PipeStatus(0, null, Phase.NEW, null, null, null, null, null, null, Map.of(), false, null, 0,
            Map.of(), null, null);
    }

    /** Tables whose resync alone has reached {@code step}, sorted. */
    public List<String> tablesResyncing(TableResync step) {
        return tables.entrySet().stream().filter(entry -> entry.getValue().resync() == step).map(Map.Entry::getKey)
            .sorted().toList();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copies a status with some of its facts changed. */
    public static final class Builder {
        private long observedGeneration;
        private PipeSpec lastReconciledSpec;
        private Phase phase;
        private String jobId;
        private Stop stop;
        private String resumeFrom;
        private String stopNotice;
        private Checkpoint lastCheckpoint;
        private Setup setup;
        private Map<String, TableState> tables;
        private boolean snapshotDone;
        private WholeResync resync;
        private long resyncNonce;
        private Map<String, SourceGone> sourcesGone;
        private Retry retry;
        private String failure;

        private Builder(PipeStatus status) {
            observedGeneration = status.observedGeneration;
            lastReconciledSpec = status.lastReconciledSpec;
            phase = status.phase;
            jobId = status.jobId;
            stop = status.stop;
            resumeFrom = status.resumeFrom;
            stopNotice = status.stopNotice;
            lastCheckpoint = status.lastCheckpoint;
            setup = status.setup;
            tables = status.tables;
            snapshotDone = status.snapshotDone;
            resync = status.resync;
            resyncNonce = status.resyncNonce;
            sourcesGone = status.sourcesGone;
            retry = status.retry;
            failure = status.failure;
        }

        /** The reconciler has applied {@code spec}: it is the last reconciled one and its generation observed. */
        public Builder reconciled(PipeSpec spec) {
            lastReconciledSpec = spec;
            observedGeneration = spec.generation();
            return this;
        }

        public Builder observedGeneration(long value) {
            observedGeneration = value;
            return this;
        }

        public Builder phase(Phase value) {
            phase = value;
            return this;
        }

        public Builder jobId(String value) {
            jobId = value;
            return this;
        }

        public Builder stop(Stop value) {
            stop = value;
            return this;
        }

        public Builder resumeFrom(String value) {
            resumeFrom = value;
            return this;
        }

        public Builder stopNotice(String value) {
            stopNotice = value;
            return this;
        }

        public Builder lastCheckpoint(Checkpoint value) {
            lastCheckpoint = value;
            return this;
        }

        public Builder setup(Setup value) {
            setup = value;
            return this;
        }

        public Builder tables(Map<String, TableState> value) {
            tables = value;
            return this;
        }

        public Builder snapshotDone(boolean value) {
            snapshotDone = value;
            return this;
        }

        public Builder resync(WholeResync value) {
            resync = value;
            return this;
        }

        public Builder resyncNonce(long value) {
            resyncNonce = value;
            return this;
        }

        public Builder sourcesGone(Map<String, SourceGone> value) {
            sourcesGone = value;
            return this;
        }

        public Builder retry(Retry value) {
            retry = value;
            return this;
        }

        public Builder failure(String value) {
            failure = value;
            return this;
        }

        public PipeStatus build() {
            return new PipeStatus(observedGeneration, lastReconciledSpec, phase, jobId, stop, resumeFrom, stopNotice,
                lastCheckpoint, setup, tables, snapshotDone, resync, resyncNonce, sourcesGone, retry, failure);
        }
    }
}
