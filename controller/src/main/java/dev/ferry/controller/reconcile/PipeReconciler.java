package dev.ferry.controller.reconcile;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.flink.api.common.JobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.controller.ServerException;
import dev.ferry.controller.SyncLogSettings;
import dev.ferry.controller.connect.Connections;
import dev.ferry.controller.flink.FlinkJob;
import dev.ferry.controller.flink.FlinkService;
import dev.ferry.controller.pipe.DesiredState;
import dev.ferry.controller.pipe.JobObservation;
import dev.ferry.controller.pipe.Lifecycle;
import dev.ferry.controller.pipe.Phase;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeSettings;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.SpecChanges;

/**
 * One reconciliation step of one pipe (the operator's reconciler): observe its job, compare what the user asked
 * for (the spec) with what was done (the status: its phase, its last reconciled spec), and take the one action
 * that brings them closer. Decisions follow the phase, the spec's differences and Flink's job state, all enums;
 * never the text of a state's reason.
 *
 * <p>A step that fails for a reason that can heal (a server not answering, a timeout) is tried again after a
 * growing pause, shown in the state's reason; one that cannot heal makes the pipe Failed, which a resync recovers.
 */
final class PipeReconciler {

    private static final Logger log = LoggerFactory.getLogger(PipeReconciler.class);

    private final FlinkService flink;
    private final JobObserver observer;
    private final Step.StatusWriter writer;
    private final Clock clock;
    private final Deployment deployment;
    private final Stopping stopping;
    private final Resyncing resyncing;

    PipeReconciler(FlinkService flink, Connections connections, SyncLogSettings syncLog, JobObserver observer,
                   Step.StatusWriter writer, Clock clock) {
        this.flink = flink;
        this.observer = observer;
        this.writer = writer;
        this.clock = clock;
        this.deployment = new Deployment(flink, connections, syncLog, clock);
        this.stopping = new Stopping(flink, clock);
        this.resyncing = new Resyncing(flink, connections, deployment, clock);
    }

    void reconcile(Pipe pipe) {
        Step step = new Step(pipe, writer);
        PipeStatus.Retry before = pipe.status().retry();
        try {
            PipeStatus after = act(step, observer.observe(pipe));
            // a step that went through clears the retry it was waiting on; one that set a retry of its own keeps it
            step.save(after.retry() == before ? after.toBuilder().retry(null).build() : after);
        } catch (Step.PipeDeleted e) {
            observer.forget(pipe.id());
        } catch (ServerException e) {
            step.save(e.canHeal() ? retried(step, e.getMessage()) : failed(step, step.status(), e.getMessage()
                + "; fix the cause, then resync the pipe", true));
        } catch (RuntimeException e) {
            log.warn("pipe {} ({}): reconciliation step failed, will retry", pipe.name(), pipe.id(), e);
            step.save(retried(step, String.valueOf(e.getMessage())));
        }
    }

    private PipeStatus retried(Step step, String error) {
        PipeStatus status = step.status();
        int attempts = status.retry() == null ? 1 : status.retry().attempts() + 1;
        long next = clock.millis() + Backoff.after(attempts).toMillis();
        log.info("pipe {} ({}): attempt {} failed, trying again in {} s: {}", step.spec().name(), step.pipeId(),
            attempts, Backoff.after(attempts).toSeconds(), error);
        return status.toBuilder().retry(new PipeStatus.Retry(error, attempts, next, step.spec().generation())).build();
    }

    /** The pipe cannot go on: the failure is recorded, and its job, when it may still run, is cancelled. */
    private PipeStatus failed(Step step, PipeStatus status, String reason, boolean jobMayRun) {
        log.info("pipe {} ({}): failed: {}", step.spec().name(), step.pipeId(), reason);
        if (jobMayRun && status.jobId() != null) {
            try {
                // a Failed pipe's job must not go on restarting: nothing it does can succeed
                flink.cancel(status.jobId());
            } catch (ServerException e) {
                log.info("pipe {}: its job {} could not be cancelled: {}", step.pipeId(), status.jobId(),
                    e.getMessage());
            }
        }
        // the spec has been acted on as far as it can be: a client waiting for it learns it ended in Failed
        return status.toBuilder().failure(reason).retry(null).observedGeneration(step.spec().generation()).build();
    }

    private PipeStatus act(Step step, Optional<JobObservation> observation) {
        PipeSpec spec = step.spec();
        PipeStatus status = step.status();
        boolean resyncAsked = spec.resyncNonce() != status.resyncNonce();
        if (status.failure() != null) {
            return resyncAsked ? resyncing.recover(step) : status;
        }
        boolean paused = spec.desiredState() == DesiredState.PAUSED;
        return switch (status.phase()) {
            case NEW -> {
                if (paused) {
                    yield status.toBuilder().observedGeneration(spec.generation()).build();
                }
                flink.prepare();
                yield status.toBuilder().phase(Phase.PROVISIONED).build();
            }
            case PROVISIONED -> paused ? status.toBuilder().observedGeneration(spec.generation()).build()
                : deployment.first(step);
            case DEPLOYED -> resyncAsked ? resyncing.start(step, status)
                : observation.map(seen -> deployed(step, seen)).orElse(status);
            case STOPPING -> observation.map(seen -> stopping.poll(step, withCheckpoint(status, seen), seen))
                .orElse(status);
            case SUSPENDED -> suspended(step, resyncAsked);
        };
    }

    /** The job runs (or should): record what it shows, then stop it when the spec or its progress asks for it. */
    private PipeStatus deployed(Step step, JobObservation observation) {
        PipeSpec spec = step.spec();
        PipeStatus status = step.status();
        boolean snapshotMode = spec.settings().replicationMode() == PipeSettings.ReplicationMode.SNAPSHOT;
        if (snapshotMode && status.snapshotDone() && status.resync() == null) {
            return status.observedGeneration() == spec.generation() ? status
                : status.toBuilder().reconciled(spec).build();
        }
        boolean mustStop = spec.desiredState() == DesiredState.PAUSED || SpecChanges.between(spec, status).needRestart();
        if (observation.lost() || (observation.job().state() == JobStatus.FINISHED && !snapshotMode)) {
            String from = deployment.lostJobPosition(status);
            if (mustStop) {
                // no job to stop: the change applies from where it was
                return status.toBuilder().phase(Phase.SUSPENDED).resumeFrom(from).stopNotice("the Flink cluster lost "
                    + "the job; it goes on from " + (from == null ? "the start position" : from)).build();
            }
            log.info("pipe {} ({}): the cluster no longer runs job {}; submitting it again", spec.name(),
                step.pipeId(), status.jobId());
            return deployment.submit(step, status, from);
        }
        Optional<String> failure = Lifecycle.jobFailure(observation);
        if (failure.isPresent()) {
            return failed(step, status, failure.get(), !observation.job().hasEnded());
        }
        status = recorded(spec, status, observation);
        if (status.failure() != null) {
            return failed(step, status, status.failure(), true);
        }
        FlinkJob job = observation.job();
        if (mustStop) {
            return stopping.begin(step, status);
        }
        if (status.resync() == PipeStatus.WholeResync.LOADING && job.state() != JobStatus.RESTARTING
            && !Lifecycle.loadingUnfinished(status, job)) {
            return stopping.begin(step, status.toBuilder().resync(PipeStatus.WholeResync.SWAPPING).build());
        }
        List<String> loaded = Lifecycle.loadedTableResyncs(status, job);
        if (!loaded.isEmpty()) {
            Map<String, PipeStatus.TableState> tables = new HashMap<>(status.tables());
            loaded.forEach(table -> tables.computeIfPresent(table,
                (name, state) -> state.withResync(PipeStatus.TableResync.LOADED)));
            return stopping.begin(step, status.toBuilder().tables(tables).build());
        }
        // what is left of the spec applies without the job: the controller's own settings
        return status.observedGeneration() == spec.generation() ? status : status.toBuilder().reconciled(spec).build();
    }

    /**
     * The facts an observation adds to the status: the newest checkpoint, whether every collection is loaded, and
     * which collections were dropped or renamed (which fails the pipe under {@code onSourceCollectionGone: failed}).
     */
    private static PipeStatus recorded(PipeSpec spec, PipeStatus status, JobObservation observation) {
        if (observation.lost()) {
            return status;
        }
        FlinkJob job = observation.job();
        PipeStatus.Builder builder = withCheckpoint(status, observation).toBuilder();
        boolean finished = job.state() != JobStatus.RESTARTING && (Lifecycle.snapshotFinished(job)
            || spec.settings().replicationMode() == PipeSettings.ReplicationMode.SNAPSHOT
            && job.state() == JobStatus.FINISHED);
        // a table is loaded once the snapshot finished (how many rows is the sync log's to count)
        if (finished && status.tables().values().stream().anyMatch(state -> !state.loaded())) {
            Map<String, PipeStatus.TableState> tables = new HashMap<>();
            status.tables().forEach((table, state) -> tables.put(table, state.loaded() ? state : state.asLoaded()));
            builder.tables(tables);
        }
        boolean allLoaded = finished || status.tables().values().stream().allMatch(PipeStatus.TableState::loaded);
        if (!status.snapshotDone() && status.resync() == null && allLoaded && job.state() != JobStatus.RESTARTING) {
            builder.snapshotDone(true);
        }
        if (!status.sourcesGone().entrySet().containsAll(observation.sourcesGone().entrySet())) {
            Map<String, String> gone = new HashMap<>(status.sourcesGone());
            gone.putAll(observation.sourcesGone());
            builder.sourcesGone(gone);
            if (spec.settings().onSourceCollectionGone() == PipeSettings.OnSourceGone.FAILED) {
                builder.failure(Lifecycle.sourcesGoneReason(spec, gone) + "; resync the pipe to go on "
                    + "(settings.onSourceCollectionGone is failed)");
            }
        }
        return builder.build();
    }

    /** The status with the job's newest checkpoint, when the observation shows a newer one. */
    private static PipeStatus withCheckpoint(PipeStatus status, JobObservation observation) {
        if (observation.lost()) {
            return status;
        }
        FlinkJob.Health health = observation.job().health();
        if (health.lastCheckpointPath() == null || (status.lastCheckpoint() != null
            && health.lastCheckpointMillis() <= status.lastCheckpoint().completedAtMillis())) {
            return status;
        }
        return status.toBuilder().lastCheckpoint(new PipeStatus.Checkpoint(health.lastCheckpointPath(),
            health.lastCheckpointMillis())).build();
    }

    /** The job is stopped: paused, or between the steps of a restart, each a step of its own. */
    private PipeStatus suspended(Step step, boolean resyncAsked) {
        PipeSpec spec = step.spec();
        PipeStatus status = step.status();
        if (resyncAsked) {
            return resyncing.start(step, status);
        }
        if (spec.desiredState() == DesiredState.PAUSED) {
            // paused is reached: the spec is applied, and its changes wait for the resume
            return status.observedGeneration() == spec.generation() ? status
                : status.toBuilder().reconciled(spec).build();
        }
        // the swaps, the new tables and the job's start in one step, recorded with the job's id before it is
        // submitted: each part can be done again if the step fails half-way
        if (status.resync() == PipeStatus.WholeResync.SWAPPING) {
            status = resyncing.swapAll(step, status);
        }
        if (!status.tablesResyncing(PipeStatus.TableResync.LOADED).isEmpty()) {
            status = resyncing.swapTables(step, status);
        }
        SpecChanges changes = SpecChanges.between(spec, status);
        if (!changes.tablesToSetUp().isEmpty()) {
            status = resyncing.setUpTables(step, status, changes);
        }
        if (spec.settings().replicationMode() == PipeSettings.ReplicationMode.SNAPSHOT && status.snapshotDone()) {
            // loaded, and nothing left to run
            return status.toBuilder().phase(Phase.DEPLOYED).reconciled(spec).build();
        }
        return deployment.submit(step, status, status.resumeFrom());
    }
}
