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
import java.util.Optional;
import java.util.OptionalDouble;

import org.apache.flink.api.common.JobStatus;

import dev.ferry.controller.flink.FlinkJob;

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
    public static Derived derive(PipeSpec spec, PipeStatus recorded, Optional<JobObservation> observed,
                                 OptionalDouble lagSeconds) {
        PipeStatus status = JobFacts.recorded(spec, recorded, observed);
        Optional<JobObservation> observation = observed.filter(seen -> seen.jobId().equals(status.jobId()));
        return shown(Planner.next(spec, recorded, observed), spec, status, observation, lagSeconds,
            retryNote(status.retry()));
    }

    /** What a plan shows: the state it leads into, and why. */
    private static Derived shown(Plan plan, PipeSpec spec, PipeStatus status, Optional<JobObservation> observation,
                                 OptionalDouble lagSeconds, String retry) {
        if (plan instanceof Plan.AwaitJob await) {
            return shown(await.then(), spec, status, Optional.empty(), lagSeconds, retry);
        }
        if (plan instanceof Plan.SuspendLost lost) {
            return shown(new Plan.Stop(lost.reason()), spec, status, observation, lagSeconds, retry);
        }
        if (plan instanceof Plan.Wait wait) {
            return switch (wait.what()) {
                case FAILED -> new Derived(FAILED, status.failure(), Problem.FAILED);
                case PAUSED_BEFORE_START -> new Derived(PAUSED, "paused before its job started; resume starts it");
                case PAUSED -> paused(spec, status);
                case COMPLETED -> new Derived(COMPLETED, "the snapshot is complete");
                case RUNNING -> observation.isPresent() ? running(spec, status, observation.get(), lagSeconds, retry)
                    : unobserved(spec, status, retry);
            };
        }
        if (plan instanceof Plan.Recover recover) {
            return new Derived(recover.fromSetup() ? SETUP : SNAPSHOT, "resync asked: the pipe starts again from its "
                + "setup, loading every collection again (the tables' counts start over)");
        }
        if (plan instanceof Plan.Provision) {
            return new Derived(PROVISIONING, "bringing up the Flink cluster and the job jar" + retry);
        }
        if (plan instanceof Plan.SetUp) {
            return new Derived(SETUP, "creating the ClickHouse tables and capturing the change stream's start" + retry);
        }
        if (plan instanceof Plan.Resync resync) {
            return new Derived(SNAPSHOT, resync.jobRuns()
                ? "resync asked: the job stops, and a fresh snapshot loads every collection into _resync tables (the "
                + "tables' counts start over)" + retry
                : "resync asked: loading every collection again into _resync tables (the tables' counts start over)"
                + retry);
        }
        if (plan instanceof Plan.Stop stop) {
            return switch (stop.reason()) {
                case PAUSE -> new Derived(PAUSING, "pause asked: the job stops with a savepoint next" + retry);
                case CHANGE -> new Derived(MODIFYING, changing(spec, status) + "the job stops with a savepoint and "
                    + "starts again from it" + retry);
                case SWAP_RESYNC -> new Derived(RESYNC, "resync: the _resync tables are loaded; swapping them in next"
                    + retry);
                case SWAP_TABLES -> new Derived(MODIFYING, "resync of " + String.join(", ", stop.tables()) + ": "
                    + "loaded; swapping the _resync table in next" + retry);
                case RESYNC -> new Derived(SNAPSHOT, "resync asked: the job stops, and a fresh snapshot loads every "
                    + "collection into _resync tables (the tables' counts start over)" + retry);
            };
        }
        if (plan instanceof Plan.AwaitStop await) {
            return switch (await.reason()) {
                case SWAP_RESYNC -> new Derived(RESYNC, "resync: the _resync tables are loaded; stopping the job with "
                    + "a savepoint to swap them in" + retry);
                case PAUSE -> new Derived(PAUSING, "stopping the job with a savepoint" + retry);
                case CHANGE, SWAP_TABLES -> new Derived(MODIFYING, changing(spec, status) + "stopping the job with a "
                    + "savepoint and starting it again from there" + retry);
                case RESYNC -> new Derived(SNAPSHOT, "resync asked: the job stops, and a fresh snapshot loads every "
                    + "collection into _resync tables (the tables' counts start over)" + retry);
            };
        }
        if (plan instanceof Plan.Swap swap) {
            return swap.whole()
                ? new Derived(RESYNC, "resync: swapping the loaded _resync tables in for the originals" + retry)
                : new Derived(MODIFYING, "resync of " + String.join(", ", swap.tables()) + ": swapping the loaded "
                + "_resync table in" + retry);
        }
        if (plan instanceof Plan.SetUpTables setUp) {
            SpecChanges changes = setUp.changes();
            return new Derived(SETUP, "creating " + String.join(", ", changes.tablesToSetUp().stream()
                .map(table -> changes.resynced().contains(table) ? table + PipeStatus.RESYNC_SUFFIX : table).toList())
                + retry);
        }
        if (plan instanceof Plan.Submit submit) {
            String from = status.resumeFrom() == null ? "the start position" : status.resumeFrom();
            LifecycleState loadingOrRunning = status.snapshotDone() ? RUNNING : SNAPSHOT;
            return switch (submit.start()) {
                case RESUME -> new Derived(loadingOrRunning, "resuming: starting the job from " + from + retry);
                case RESTART -> new Derived(MODIFYING, changing(spec, status) + "starting the job again from " + from
                    + retry);
                case LOST -> new Derived(loadingOrRunning, "the Flink cluster no longer knows the job; starting it "
                    + "again from its newest checkpoint" + retry);
                case ENDED -> new Derived(loadingOrRunning, "the job ended by itself; starting it again from its "
                    + "newest checkpoint" + retry);
            };
        }
        if (plan instanceof Plan.Complete) {
            return new Derived(COMPLETED, "the snapshot is complete");
        }
        if (plan instanceof Plan.Fail fail) {
            return new Derived(FAILED, fail.reason(), Problem.FAILED);
        }
        throw new IllegalArgumentException("no lifecycle state for " + plan);
    }

    private static Derived paused(PipeSpec spec, PipeStatus status) {
        String paused = status.stopNotice() != null ? status.stopNotice()
            : "paused; resume continues from " + status.resumeFrom();
        SpecChanges waiting = SpecChanges.between(spec, status);
        return new Derived(PAUSED, paused + (waiting.needRestart() ? "; on resume: " + waiting.describe() : ""));
    }

    /** A job that runs as planned, not seen at the moment: loading or replicating, as far as the status knows. */
    private static Derived unobserved(PipeSpec spec, PipeStatus status, String retry) {
        if (status.resync() == PipeStatus.WholeResync.LOADING) {
            return new Derived(SNAPSHOT, "resync: loading the collections into the _resync tables" + retry);
        }
        boolean loading = !status.snapshotDone() && spec.settings().replicationMode().snapshots();
        return new Derived(loading ? SNAPSHOT : RUNNING, (loading ? loadingReason(status) : "replicating changes")
            + retry);
    }

    /** A job that runs as planned: its health tells whether it is well, loading or Degraded, and why. */
    private static Derived running(PipeSpec spec, PipeStatus status, JobObservation observation,
                                   OptionalDouble lagSeconds, String retry) {
        FlinkJob job = observation.job();
        FlinkJob.Health health = job.health();
        if (job.state() == JobStatus.RESTARTING || health.failingSinceLastCheckpoint()) {
            return new Derived(DEGRADED, "the job is restarting after an error"
                + (health.rootCause() == null ? "" : " (" + health.rootCause() + ")")
                + "; it recovers by itself once the cause is gone (a source or destination outage, for example); "
                + "it becomes Failed if Flink's restart strategy gives up" + retry, Problem.JOB_RESTARTING);
        }
        if (!status.sourcesGone().isEmpty()) {
            return new Derived(DEGRADED, Planner.sourcesGoneReason(spec, status.sourcesGone()) + "; the other tables "
                + "go on", Problem.SOURCE_COLLECTION_GONE);
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
            return new Derived(SNAPSHOT, "resync: loading the collections into the _resync tables" + retry);
        }
        if (!status.snapshotDone() && spec.settings().replicationMode().snapshots()
            && Planner.loadingUnfinished(status, job)) {
            return new Derived(SNAPSHOT, loadingReason(status) + retry);
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
}
