package dev.ferry.controller.pipe;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.flink.api.common.JobStatus;

import dev.ferry.common.PipeFailure;
import dev.ferry.controller.flink.FlinkJob;
import dev.ferry.controller.pipe.Plan.Applied;
import dev.ferry.controller.pipe.Plan.Start;
import dev.ferry.controller.pipe.Plan.StopReason;
import dev.ferry.controller.pipe.Plan.Waiting;
import dev.ferry.controller.pipe.PipeSettings.ReplicationMode;

/**
 * Decides what a pipe needs next, from what the user asked for (the spec), what was done (the status) and the
 * newest observation of its job: the only place where those decisions are made. A pure function: the reconciler
 * carries its plan out, and the lifecycle state users see is derived from the same plan ({@link Lifecycle}), so
 * that the two cannot disagree.
 *
 * <p>The order of the questions is the order of precedence: a recorded failure before everything, a resync asked
 * for before the phase's own work, a job that cannot go on before a stop the spec asks for.
 */
public final class Planner {

    private Planner() {
    }

    /** The next plan; the observation counts only when it is of the status's job. */
    public static Plan next(PipeSpec spec, PipeStatus recorded, Optional<JobObservation> observed) {
        PipeStatus status = JobFacts.recorded(spec, recorded, observed);
        Optional<JobObservation> observation = observed.filter(seen -> seen.jobId().equals(status.jobId()));
        boolean resyncAsked = spec.resyncNonce() != status.resyncNonce();
        if (status.failure() != null) {
            return resyncAsked ? new Plan.Recover(status.setup() == null) : new Plan.Wait(Waiting.FAILED,
                Applied.NOTHING);
        }
        boolean paused = spec.desiredState() == DesiredState.PAUSED;
        return switch (status.phase()) {
            case NEW -> paused ? new Plan.Wait(Waiting.PAUSED_BEFORE_START, Applied.GENERATION) : new Plan.Provision();
            case PROVISIONED -> paused ? new Plan.Wait(Waiting.PAUSED_BEFORE_START, Applied.GENERATION)
                : new Plan.SetUp();
            case DEPLOYED -> resyncAsked ? new Plan.Resync(true) : deployed(spec, status, observation);
            case STOPPING -> {
                Plan.AwaitStop await = new Plan.AwaitStop(resyncAsked ? StopReason.RESYNC : stopping(spec, status));
                yield observation.isPresent() ? await : new Plan.AwaitJob(await);
            }
            case SUSPENDED -> resyncAsked ? new Plan.Resync(false) : suspended(spec, status);
        };
    }

    /** Why the job under way of stopping is stopped. */
    private static StopReason stopping(PipeSpec spec, PipeStatus status) {
        if (status.resync() == PipeStatus.WholeResync.SWAPPING) {
            return StopReason.SWAP_RESYNC;
        }
        if (spec.desiredState() == DesiredState.PAUSED) {
            return StopReason.PAUSE;
        }
        return status.tablesResyncing(PipeStatus.TableResync.LOADED).isEmpty() ? StopReason.CHANGE
            : StopReason.SWAP_TABLES;
    }

    /** The job runs (or should): keep it running, or stop it when the spec or its progress asks for it. */
    private static Plan deployed(PipeSpec spec, PipeStatus status, Optional<JobObservation> observation) {
        boolean snapshotMode = spec.settings().replicationMode() == ReplicationMode.SNAPSHOT;
        if (snapshotMode && status.snapshotDone() && status.resync() == null) {
            return new Plan.Wait(Waiting.COMPLETED, Applied.SPEC);
        }
        boolean paused = spec.desiredState() == DesiredState.PAUSED;
        boolean mustStop = paused || SpecChanges.between(spec, status).needRestart();
        StopReason why = paused ? StopReason.PAUSE : StopReason.CHANGE;
        if (observation.isEmpty()) {
            return new Plan.AwaitJob(mustStop ? new Plan.Stop(why) : new Plan.Wait(Waiting.RUNNING, Applied.SPEC));
        }
        JobObservation seen = observation.get();
        if (seen.lost() || (seen.job().state() == JobStatus.FINISHED && !snapshotMode)) {
            // no job to stop: a change applies from where it was
            return mustStop ? new Plan.SuspendLost(why) : new Plan.Submit(seen.lost() ? Start.LOST : Start.ENDED);
        }
        Optional<String> failure = jobFailure(seen);
        if (failure.isPresent()) {
            return new Plan.Fail(failure.get(), !seen.job().hasEnded());
        }
        if (!status.sourcesGone().isEmpty()
            && spec.settings().onSourceCollectionGone() == PipeSettings.OnSourceGone.FAILED) {
            return new Plan.Fail(sourcesGoneReason(spec, status.sourcesGone()) + "; resync the pipe to go on "
                + "(settings.onSourceCollectionGone is failed)", true);
        }
        if (mustStop) {
            return new Plan.Stop(why);
        }
        FlinkJob job = seen.job();
        if (status.resync() == PipeStatus.WholeResync.LOADING && job.state() != JobStatus.RESTARTING
            && !loadingUnfinished(status, job)) {
            return new Plan.Stop(StopReason.SWAP_RESYNC);
        }
        List<String> loaded = loadedTableResyncs(status, job);
        if (!loaded.isEmpty()) {
            return new Plan.Stop(StopReason.SWAP_TABLES, loaded);
        }
        // what is left of the spec applies without the job: the controller's own settings
        return new Plan.Wait(Waiting.RUNNING, Applied.SPEC);
    }

    /** The job is stopped: paused, or between the steps of a restart, each a plan of its own. */
    private static Plan suspended(PipeSpec spec, PipeStatus status) {
        if (spec.desiredState() == DesiredState.PAUSED) {
            // paused is reached: the spec is applied, and its changes wait for the resume
            return new Plan.Wait(Waiting.PAUSED, Applied.SPEC);
        }
        if (status.resync() == PipeStatus.WholeResync.SWAPPING) {
            return new Plan.Swap(true, List.copyOf(status.tables().keySet()));
        }
        List<String> loaded = status.tablesResyncing(PipeStatus.TableResync.LOADED);
        if (!loaded.isEmpty()) {
            return new Plan.Swap(false, loaded);
        }
        SpecChanges changes = SpecChanges.between(spec, status);
        if (!changes.tablesToSetUp().isEmpty()) {
            return new Plan.SetUpTables(changes);
        }
        if (spec.settings().replicationMode() == ReplicationMode.SNAPSHOT && status.snapshotDone()) {
            return new Plan.Complete();
        }
        return new Plan.Submit(status.lastReconciledSpec().desiredState() == DesiredState.PAUSED ? Start.RESUME
            : Start.RESTART);
    }

    /**
     * Why the pipe's job cannot go on, when the observation shows a cause no restart mends: Flink gave up on it, it
     * was cancelled outside ferry, MongoDB lost the stream's resume point, or a destination table is gone.
     */
    static Optional<String> jobFailure(JobObservation observation) {
        if (observation.lost()) {
            return Optional.empty();
        }
        FlinkJob job = observation.job();
        PipeFailure pipeFailure = job.health().currentPipeFailure().orElse(null);
        if (pipeFailure == PipeFailure.CHANGE_STREAM_HISTORY_LOST) {
            return Optional.of("MongoDB no longer has the change stream's resume point in its oplog "
                + "(ChangeStreamHistoryLost): changes were lost to this pipe; resync it, and keep more oplog history "
                + "than the longest pause or outage");
        }
        if (pipeFailure == PipeFailure.POST_IMAGE_MISSING) {
            return Optional.of("an update came without its post-image (changeStreamPreAndPostImages was turned off "
                + "on its collection, or its images expired): enable it again and resync the pipe, or create the "
                + "pipe with fullDocument: updateLookup");
        }
        if (pipeFailure == PipeFailure.CHANGE_EVENT_TOO_LARGE) {
            return Optional.of(job.health().rootCause() == null ? "a change event is over MongoDB's 16 MB limit and "
                + "the server cannot split it; upgrade MongoDB to 6.0.9 or 7.0 and resync the pipe"
                : job.health().rootCause());
        }
        // after the causes the job names itself: a pipe failure stops the job without restarts, so Flink reports
        // it FAILED too, and the pipe failure's own words say more
        if (job.state() == JobStatus.FAILED) {
            return Optional.of("the Flink job failed for good (its restart strategy gave up): "
                + job.health().rootCause() + "; fix the cause, then resync the pipe");
        }
        if (job.state() == JobStatus.CANCELED) {
            return Optional.of("the Flink job " + job.jobId() + " was cancelled outside ferry; resync the pipe to "
                + "start it again");
        }
        if (!observation.missingTables().isEmpty()) {
            return Optional.of("destination table " + String.join(", ", observation.missingTables())
                + " is gone; resync the pipe to create and load it again");
        }
        return Optional.empty();
    }

    /**
     * Whether a table is still to be loaded: not loaded before, and the job's snapshot has not finished (or is not
     * in the job yet).
     */
    static boolean loadingUnfinished(PipeStatus status, FlinkJob job) {
        return status.tables().values().stream().anyMatch(table -> !table.loaded())
            && !JobFacts.snapshotFinished(job);
    }

    /** The tables resynced on their own whose load into {@code <table>_resync} has finished. */
    private static List<String> loadedTableResyncs(PipeStatus status, FlinkJob job) {
        return status.tablesResyncing(PipeStatus.TableResync.LOADING).stream()
            .filter(table -> status.tables().get(table).loaded() || JobFacts.snapshotFinished(job)).toList();
    }

    /**
     * What to tell the user about collections dropped or renamed under the pipe: which, what became of their
     * tables, and how to go on.
     */
    static String sourcesGoneReason(PipeSpec spec, Map<String, SourceGone> gone) {
        List<String> what = gone.entrySet().stream().map(entry -> spec.mapping(entry.getKey())
                .map(mapping -> "collection " + mapping.namespace() + " (table " + entry.getKey() + ") was "
                    + entry.getValue().event())
                .orElse("the collection of table " + entry.getKey() + " was " + entry.getValue().event()))
            .toList();
        return String.join("; ", what) + ": its table keeps the rows it had and gets no further changes; remove the "
            + "mapping (PATCH /v1/pipes/{id} with removeTableMappings), or resync the table once the collection "
            + "exists again (POST /v1/pipes/{id}/tables/{table}/resync)";
    }
}
