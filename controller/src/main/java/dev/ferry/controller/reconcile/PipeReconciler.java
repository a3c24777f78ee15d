package dev.ferry.controller.reconcile;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.controller.ServerException;
import dev.ferry.controller.SyncLogSettings;
import dev.ferry.controller.connect.Connections;
import dev.ferry.controller.connect.Destination;
import dev.ferry.controller.flink.FlinkService;
import dev.ferry.controller.flink.RetainedCheckpoints;
import dev.ferry.controller.pipe.JobObservation;
import dev.ferry.controller.pipe.Observations;
import dev.ferry.controller.pipe.Phase;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.Plan;
import dev.ferry.controller.pipe.Planner;

/**
 * One reconciliation step of one pipe (the operator's reconciler): observe its job (the observer records what it
 * saw), ask the {@link Planner} what the pipe needs next, and carry that plan out. Nothing is decided here: how to
 * do a plan is this class's and its helpers' ({@link Deployment}, {@link Stopping}, {@link Resyncing}), what to do is
 * the planner's.
 *
 * <p>A step that fails for a reason that can heal (a server not answering, a timeout) is tried again after a
 * growing pause, shown in the state's reason; one that cannot heal makes the pipe Failed, which a resync recovers.
 */
final class PipeReconciler {

    private static final Logger log = LoggerFactory.getLogger(PipeReconciler.class);

    /** A bound on the plans of one step, should a plan that prepares the next ever fail to change the status. */
    private static final int MAX_PLANS_PER_STEP = 4;

    private final FlinkService flink;
    private final JobObserver observer;
    private final Observations observations;
    private final Connections connections;
    private final Step.StatusWriter writer;
    private final Clock clock;
    private final Deployment deployment;
    private final Stopping stopping;
    private final Resyncing resyncing;

    PipeReconciler(FlinkService flink, RetainedCheckpoints checkpoints, Connections connections,
                   SyncLogSettings syncLog, JobObserver observer, Observations observations, Step.StatusWriter writer,
                   Clock clock) {
        this.flink = flink;
        this.observer = observer;
        this.observations = observations;
        this.writer = writer;
        this.clock = clock;
        this.connections = connections;
        TableSetup tableSetup = new TableSetup(connections, clock);
        this.deployment = new Deployment(flink, checkpoints, connections, syncLog, tableSetup);
        this.stopping = new Stopping(flink, checkpoints, clock);
        this.resyncing = new Resyncing(flink, connections, deployment, tableSetup);
    }

    void reconcile(Pipe pipe) {
        Step step = new Step(pipe, writer);
        PipeStatus.Retry before = pipe.status().retry();
        try {
            observer.observe(step);
            PipeStatus after = carryOut(step);
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

    /** A deleted pipe's job is cancelled, its tables dropped when asked, and the cluster forgets its jar. */
    void cleanup(Pipe pipe, boolean dropTables) {
        if (pipe.status().jobId() != null) {
            flink.cancel(pipe.status().jobId());
        }
        if (dropTables) {
            Destination destination = connections.destination(pipe.spec().destination());
            pipe.spec().targetTables().forEach(destination::dropTable);
        }
        flink.forget(pipe.id());
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

    /**
     * Carries out the planner's plan for the pipe; a plan that prepares the next (a swap, tables set up) is saved
     * and followed by the next plan in the same step, so that a restart's parts happen together yet each is done
     * once.
     */
    private PipeStatus carryOut(Step step) {
        Optional<JobObservation> observation = observations.of(step.pipeId());
        Plan plan = Planner.next(step.spec(), step.status(), observation);
        PipeStatus after = execute(step, plan, observation);
        for (int more = 0; plan.continues() && more < MAX_PLANS_PER_STEP; more++) {
            step.save(after);
            plan = Planner.next(step.spec(), step.status(), observation);
            after = execute(step, plan, observation);
        }
        return after;
    }

    private PipeStatus execute(Step step, Plan plan, Optional<JobObservation> observation) {
        PipeSpec spec = step.spec();
        PipeStatus status = step.status();
        if (plan instanceof Plan.Wait wait) {
            return applied(spec, status, wait.applied());
        }
        if (plan instanceof Plan.AwaitJob) {
            return status;
        }
        if (plan instanceof Plan.Provision) {
            flink.prepare();
            return status.toBuilder().phase(Phase.PROVISIONED).build();
        }
        if (plan instanceof Plan.SetUp) {
            return deployment.first(step);
        }
        if (plan instanceof Plan.Recover) {
            return resyncing.recover(step);
        }
        if (plan instanceof Plan.Resync) {
            return resyncing.start(step, status);
        }
        if (plan instanceof Plan.Stop stop) {
            return stopping.begin(step, switch (stop.reason()) {
                case PAUSE, CHANGE, RESYNC -> status;
                case SWAP_RESYNC -> status.toBuilder().resync(PipeStatus.WholeResync.SWAPPING).build();
                case SWAP_TABLES -> status.toBuilder().tables(resyncing(status, stop.tables(),
                    PipeStatus.TableResync.LOADED)).build();
            });
        }
        if (plan instanceof Plan.AwaitStop) {
            return stopping.poll(step, status, observation.orElseThrow());
        }
        if (plan instanceof Plan.SuspendLost) {
            String from = deployment.lostJobPosition(status);
            return status.toBuilder().phase(Phase.SUSPENDED).resumeFrom(from).stopNotice("the Flink cluster lost the "
                + "job; it goes on from " + (from == null ? "the start position" : from)).build();
        }
        if (plan instanceof Plan.Swap swap) {
            return swap.whole() ? resyncing.swapAll(step, status) : resyncing.swapTables(step, status);
        }
        if (plan instanceof Plan.SetUpTables setUp) {
            return resyncing.setUpTables(step, status, setUp.changes());
        }
        if (plan instanceof Plan.Submit submit) {
            if (submit.start() == Plan.Start.LOST || submit.start() == Plan.Start.ENDED) {
                log.info("pipe {} ({}): the cluster no longer runs job {}; submitting it again", spec.name(),
                    step.pipeId(), status.jobId());
                return deployment.submit(step, status, deployment.lostJobPosition(status));
            }
            return deployment.submit(step, status, status.resumeFrom());
        }
        if (plan instanceof Plan.Complete) {
            // loaded, and nothing left to run
            return status.toBuilder().phase(Phase.DEPLOYED).reconciled(spec).build();
        }
        if (plan instanceof Plan.Fail fail) {
            return failed(step, status, fail.reason(), fail.cancelJob());
        }
        throw new IllegalArgumentException("no way to carry out " + plan);
    }

    /** The status once a plan that only waits has settled {@code applied} of the spec. */
    private static PipeStatus applied(PipeSpec spec, PipeStatus status, Plan.Applied applied) {
        if (status.observedGeneration() == spec.generation()) {
            return status;
        }
        return switch (applied) {
            case NOTHING -> status;
            case GENERATION -> status.toBuilder().observedGeneration(spec.generation()).build();
            case SPEC -> status.toBuilder().reconciled(spec).build();
        };
    }

    private static Map<String, PipeStatus.TableState> resyncing(PipeStatus status, List<String> tables,
                                                                PipeStatus.TableResync step) {
        Map<String, PipeStatus.TableState> states = new HashMap<>(status.tables());
        tables.forEach(table -> states.computeIfPresent(table, (name, state) -> state.withResync(step)));
        return states;
    }
}
