package dev.ferry.controller.pipe;

import static dev.ferry.controller.pipe.LifecycleState.COMPLETED;
import static dev.ferry.controller.pipe.LifecycleState.DEGRADED;
import static dev.ferry.controller.pipe.LifecycleState.FAILED;
import static dev.ferry.controller.pipe.LifecycleState.MODIFYING;
import static dev.ferry.controller.pipe.LifecycleState.PAUSED;
import static dev.ferry.controller.pipe.LifecycleState.PAUSING;
import static dev.ferry.controller.pipe.LifecycleState.PROVISIONING;
import static dev.ferry.controller.pipe.LifecycleState.RESYNC;
import static dev.ferry.controller.pipe.LifecycleState.RUNNING;
import static dev.ferry.controller.pipe.LifecycleState.SETUP;
import static dev.ferry.controller.pipe.LifecycleState.SNAPSHOT;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.execution.ExecutionState;

import dev.ferry.common.JobGraphNames;
import dev.ferry.common.PipeFailure;
import dev.ferry.controller.flink.FlinkJob;
import dev.ferry.controller.pipe.PipeSettings.ReplicationMode;

/**
 * The lifecycle state of a pipe, derived from what the user asked for (the spec), what the reconciler recorded
 * (the status: its phase and facts) and the newest observation of the job, never stored as a goal of its own (the
 * Flink Kubernetes Operator's way). The user's intent shows at once: a pause asked for is Pausing before the
 * reconciler has done anything, a change of tables Modifying, a resync Snapshot.
 */
public final class Lifecycle {

    /** A derived state, the reason a user is shown for it, and what is wrong when it is Degraded or Failed. */
    public record Derived(LifecycleState state, String reason, Problem problem) {

        /** A state with nothing wrong. */
        public Derived(LifecycleState state, String reason) {
            this(state, reason, null);
        }
    }

    /**
     * A running job that completed no checkpoint for this long (or for three of its checkpoint intervals, its
     * {@code syncIntervalSeconds}, if longer) is Degraded: its progress is not being kept.
     */
    static final long CHECKPOINT_STALE_MILLIS = 5 * 60 * 1000;

    private Lifecycle() {
    }

    /**
     * The state of the pipe; the observation counts only when it is of the pipe's current job. {@code lagSeconds}:
     * how far ClickHouse is behind MongoDB ({@link SyncObservation}), when known.
     */
    public static Derived derive(PipeSpec spec, PipeStatus status, Optional<JobObservation> observed,
                                 OptionalDouble lagSeconds) {
        Optional<JobObservation> observation = observed.filter(seen -> seen.jobId().equals(status.jobId()));
        boolean resyncAsked = spec.resyncNonce() != status.resyncNonce();
        if (status.failure() != null) {
            if (resyncAsked) {
                return new Derived(status.lastReconciledSpec() == null ? SETUP : SNAPSHOT,
                    "resync asked: the pipe starts again from its setup, loading every collection again (the "
                    + "tables' counts start over)");
            }
            return new Derived(FAILED, status.failure(), Problem.FAILED);
        }
        String retry = retryNote(status.retry());
        return switch (status.phase()) {
            case NEW, PROVISIONED -> beforeTheFirstJob(spec, status, retry);
            case STOPPING -> stopping(spec, status, retry);
            case SUSPENDED -> suspended(spec, status, resyncAsked, retry);
            case DEPLOYED -> deployed(spec, status, resyncAsked, observation, lagSeconds, retry);
        };
    }

    private static Derived beforeTheFirstJob(PipeSpec spec, PipeStatus status, String retry) {
        if (spec.desiredState() == DesiredState.PAUSED) {
            return new Derived(PAUSED, "paused before its job started; resume starts it");
        }
        if (status.phase() == Phase.NEW) {
            return new Derived(PROVISIONING, "bringing up the Flink cluster and the job jar" + retry);
        }
        return new Derived(SETUP, "creating the ClickHouse tables and capturing the change stream's start" + retry);
    }

    private static Derived stopping(PipeSpec spec, PipeStatus status, String retry) {
        String stopping = "stopping the job with a savepoint";
        if (status.resync() == PipeStatus.WholeResync.SWAPPING) {
            return new Derived(RESYNC, "resync: the _resync tables are loaded; " + stopping + " to swap them in" + retry);
        }
        if (spec.desiredState() == DesiredState.PAUSED) {
            return new Derived(PAUSING, stopping + retry);
        }
        return new Derived(MODIFYING, changing(spec, status) + stopping + " and starting it again from there" + retry);
    }

    private static Derived suspended(PipeSpec spec, PipeStatus status, boolean resyncAsked, String retry) {
        if (resyncAsked) {
            return new Derived(SNAPSHOT, "resync asked: loading every collection again into _resync tables (the "
                + "tables' counts start over)" + retry);
        }
        if (spec.desiredState() == DesiredState.PAUSED) {
            String paused = status.stopNotice() != null ? status.stopNotice()
                : "paused; resume continues from " + status.resumeFrom();
            SpecChanges waiting = SpecChanges.between(spec, status);
            return new Derived(PAUSED, paused + (waiting.needRestart() ? "; on resume: " + waiting.describe() : ""));
        }
        if (status.resync() == PipeStatus.WholeResync.SWAPPING) {
            return new Derived(RESYNC, "resync: swapping the loaded _resync tables in for the originals" + retry);
        }
        List<String> loaded = status.tablesResyncing(PipeStatus.TableResync.LOADED);
        if (!loaded.isEmpty()) {
            return new Derived(MODIFYING, "resync of " + String.join(", ", loaded) + ": swapping the loaded _resync "
                + "table in" + retry);
        }
        SpecChanges changes = SpecChanges.between(spec, status);
        if (!changes.tablesToSetUp().isEmpty()) {
            return new Derived(SETUP, "creating " + String.join(", ", changes.tablesToSetUp().stream()
                .map(table -> changes.resynced().contains(table) ? table + PipeStatus.RESYNC_SUFFIX : table).toList())
                + retry);
        }
        String from = status.resumeFrom() == null ? "the start position" : status.resumeFrom();
        if (status.lastReconciledSpec().desiredState() == DesiredState.PAUSED) {
            return new Derived(status.snapshotDone() ? RUNNING : SNAPSHOT, "resuming: starting the job from " + from
                + retry);
        }
        return new Derived(MODIFYING, changing(spec, status) + "starting the job again from " + from + retry);
    }

    private static Derived deployed(PipeSpec spec, PipeStatus status, boolean resyncAsked,
                                    Optional<JobObservation> observation, OptionalDouble lagSeconds, String retry) {
        if (resyncAsked) {
            return new Derived(SNAPSHOT, "resync asked: the job stops, and a fresh snapshot loads every collection "
                + "into _resync tables (the tables' counts start over)" + retry);
        }
        if (spec.desiredState() == DesiredState.PAUSED) {
            return new Derived(PAUSING, "pause asked: the job stops with a savepoint next" + retry);
        }
        SpecChanges changes = SpecChanges.between(spec, status);
        if (changes.needRestart()) {
            return new Derived(MODIFYING, changing(spec, status) + "the job stops with a savepoint and starts again "
                + "from it" + retry);
        }
        if (spec.settings().replicationMode() == ReplicationMode.SNAPSHOT && status.snapshotDone()
            && status.resync() == null) {
            return new Derived(COMPLETED, "the snapshot is complete");
        }
        if (observation.isEmpty()) {
            return unobserved(spec, status, retry);
        }
        if (observation.get().lost()) {
            return new Derived(status.snapshotDone() ? RUNNING : SNAPSHOT, "the Flink cluster no longer knows the "
                + "job; starting it again from its newest checkpoint" + retry);
        }
        return observed(spec, status, observation.get(), lagSeconds, retry);
    }

    private static Derived unobserved(PipeSpec spec, PipeStatus status, String retry) {
        if (status.resync() == PipeStatus.WholeResync.LOADING) {
            return new Derived(SNAPSHOT, "resync: loading the collections into the _resync tables" + retry);
        }
        boolean loading = !status.snapshotDone() && spec.settings().replicationMode().snapshots();
        return new Derived(loading ? SNAPSHOT : RUNNING, (loading ? loadingReason(status) : "replicating changes")
            + retry);
    }

    /**
     * Why the pipe's job cannot go on, when the observation shows a cause no restart mends: Flink gave up on it, it
     * was cancelled outside ferry, MongoDB lost the stream's resume point, or a destination table is gone.
     */
    public static Optional<String> jobFailure(JobObservation observation) {
        if (observation.lost()) {
            return Optional.empty();
        }
        FlinkJob job = observation.job();
        if (job.state() == JobStatus.FAILED) {
            return Optional.of("the Flink job failed for good (its restart strategy gave up): "
                + job.health().rootCause() + "; fix the cause, then resync the pipe");
        }
        if (job.state() == JobStatus.CANCELED) {
            return Optional.of("the Flink job " + job.jobId() + " was cancelled outside ferry; resync the pipe to "
                + "start it again");
        }
        if (job.health().currentPipeFailure().orElse(null) == PipeFailure.CHANGE_STREAM_HISTORY_LOST) {
            return Optional.of("MongoDB no longer has the change stream's resume point in its oplog "
                + "(ChangeStreamHistoryLost): changes were lost to this pipe; resync it, and keep more oplog history "
                + "than the longest pause or outage");
        }
        if (job.health().currentPipeFailure().orElse(null) == PipeFailure.POST_IMAGE_MISSING) {
            return Optional.of("an update came without its post-image (changeStreamPreAndPostImages was turned off "
                + "on its collection, or its images expired): enable it again and resync the pipe, or create the "
                + "pipe with fullDocument: updateLookup");
        }
        if (job.health().currentPipeFailure().orElse(null) == PipeFailure.CHANGE_EVENT_TOO_LARGE) {
            return Optional.of(job.health().rootCause() == null ? "a change event is over MongoDB's 16 MB limit and "
                + "the server cannot split it; upgrade MongoDB to 6.0.9 or 7.0 and resync the pipe"
                : job.health().rootCause());
        }
        if (!observation.missingTables().isEmpty()) {
            return Optional.of("destination table " + String.join(", ", observation.missingTables())
                + " is gone; resync the pipe to create and load it again");
        }
        return Optional.empty();
    }

    private static Derived observed(PipeSpec spec, PipeStatus status, JobObservation observation,
                                    OptionalDouble lagSeconds, String retry) {
        Optional<String> failure = jobFailure(observation);
        if (failure.isPresent()) {
            return new Derived(FAILED, failure.get(), Problem.FAILED);
        }
        FlinkJob job = observation.job();
        FlinkJob.Health health = job.health();
        if (job.state() == JobStatus.FINISHED) {
            if (spec.settings().replicationMode() == ReplicationMode.SNAPSHOT) {
                return new Derived(COMPLETED, "the snapshot is complete");
            }
            return new Derived(status.snapshotDone() ? RUNNING : SNAPSHOT, "the job ended by itself; starting it "
                + "again from its newest checkpoint" + retry);
        }
        if (job.state() == JobStatus.RESTARTING || health.failingSinceLastCheckpoint()) {
            return new Derived(DEGRADED, "the job is restarting after an error"
                + (health.rootCause() == null ? "" : " (" + health.rootCause() + ")")
                + "; it recovers by itself once the cause is gone (a source or destination outage, for example); "
                + "it becomes Failed if Flink's restart strategy gives up" + retry, Problem.JOB_RESTARTING);
        }
        if (!status.sourcesGone().isEmpty()) {
            return new Derived(DEGRADED, sourcesGoneReason(spec, status.sourcesGone()) + "; the other tables go on",
                Problem.SOURCE_COLLECTION_GONE);
        }
        long checkpointedOrStarted = Math.max(health.lastCheckpointMillis(), job.startTimeMillis());
        long stale = Math.max(CHECKPOINT_STALE_MILLIS, 3_000L * spec.settings().syncIntervalSeconds());
        if (job.state() == JobStatus.RUNNING && checkpointedOrStarted > 0
            && observation.observedAtMillis() - checkpointedOrStarted > stale) {
            return new Derived(DEGRADED, "no checkpoint has completed for "
                + (observation.observedAtMillis() - checkpointedOrStarted) / 60_000 + " minutes: the pipe's "
                + "position is not being saved, so a restart would replay more; see the checkpoints tab of the "
                + "Flink dashboard (a sink blocked by its destination, for example)", Problem.CHECKPOINTS_STALLED);
        }
        if (status.resync() == PipeStatus.WholeResync.LOADING) {
            return loadingUnfinished(status, job)
                ? new Derived(SNAPSHOT, "resync: loading the collections into the _resync tables" + retry)
                : new Derived(RESYNC, "resync: the _resync tables are loaded; swapping them in next" + retry);
        }
        if (!status.snapshotDone() && spec.settings().replicationMode().snapshots()
            && loadingUnfinished(status, job)) {
            return new Derived(SNAPSHOT, loadingReason(status) + retry);
        }
        List<String> loaded = loadedTableResyncs(status, job);
        if (!loaded.isEmpty()) {
            return new Derived(MODIFYING, "resync of " + String.join(", ", loaded) + ": loaded; swapping the _resync "
                + "table in next" + retry);
        }
        int threshold = spec.settings().lagThresholdSeconds();
        if (lagSeconds.isPresent() && lagSeconds.getAsDouble() > threshold) {
            return new Derived(DEGRADED, "ClickHouse is " + Math.round(lagSeconds.getAsDouble()) + " s behind MongoDB "
                + "(the oldest change not committed yet), more than settings.lagThresholdSeconds (" + threshold
                + " s): the job does not keep up with the writes, or its rows do not reach ClickHouse (a slow or stuck "
                + "destination, or a burst of writes); it is Running again once it catches up", Problem.LAGGING);
        }
        return new Derived(RUNNING, "replicating changes" + retry);
    }

    private static String loadingReason(PipeStatus status) {
        List<String> resyncing = status.tablesResyncing(PipeStatus.TableResync.LOADING);
        return resyncing.isEmpty() ? "loading the collections" : "resync of " + String.join(", ", resyncing)
            + ": loading into the _resync table while the other tables go on";
    }

    /**
     * Whether a table is still to be loaded: not loaded before, and the job's snapshot has not finished (or is not
     * in the job yet).
     */
    public static boolean loadingUnfinished(PipeStatus status, FlinkJob job) {
        return status.tables().values().stream().anyMatch(table -> !table.loaded()) && !snapshotFinished(job);
    }

    /** The tables resynced on their own whose load into {@code <table>_resync} has finished. */
    public static List<String> loadedTableResyncs(PipeStatus status, FlinkJob job) {
        return status.tablesResyncing(PipeStatus.TableResync.LOADING).stream()
            .filter(table -> status.tables().get(table).loaded() || snapshotFinished(job)).toList();
    }

    /**
     * Whether the job's snapshot has finished: every collection it loads is read and, since a source finishes only
     * once its final checkpoint has completed, in ClickHouse.
     */
    public static boolean snapshotFinished(FlinkJob job) {
        return job.vertex(JobGraphNames::isSnapshotVertex)
            .map(vertex -> vertex.state() == ExecutionState.FINISHED)
            .orElse(false);
    }

    private static String changing(PipeSpec spec, PipeStatus status) {
        String changes = SpecChanges.between(spec, status).describe();
        return changes.isEmpty() ? "" : "applying the change (" + changes + "): ";
    }

    private static String retryNote(PipeStatus.Retry retry) {
        if (retry == null) {
            return "";
        }
        return " (attempt " + retry.attempts() + " failed: " + retry.error() + "; trying again at "
            + Instant.ofEpochMilli(retry.nextAttemptMillis()) + ")";
    }

    /**
     * What to tell the user about collections dropped or renamed under the pipe: which, what became of their
     * tables, and how to go on.
     */
    public static String sourcesGoneReason(PipeSpec spec, Map<String, String> gone) {
        List<String> what = gone.entrySet().stream().map(entry -> spec.mapping(entry.getKey())
                .map(mapping -> "collection " + mapping.namespace() + " (table " + entry.getKey() + ") was "
                    + entry.getValue())
                .orElse("the collection of table " + entry.getKey() + " was " + entry.getValue()))
            .toList();
        return String.join("; ", what) + ": its table keeps the rows it had and gets no further changes; remove the "
            + "mapping (PATCH /v1/pipes/{id} with removeTableMappings), or resync the table once the collection "
            + "exists again (POST /v1/pipes/{id}/tables/{table}/resync)";
    }
}
