package dev.ferry.controller.reconcile;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.common.JobGraphNames;
import dev.ferry.controller.catalog.PipeCatalog;
import dev.ferry.controller.flink.FlinkJobStatus;
import dev.ferry.controller.flink.FlinkRestClient;
import dev.ferry.controller.flink.FlinkSession;
import dev.ferry.controller.flink.RetainedCheckpoints;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeLocks;
import dev.ferry.controller.pipe.PipeRequest;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.StateDerivation;

/**
 * Drives every pipe toward running, one step per pipe and tick: observe (the Flink job), derive the lifecycle
 * state and record it, then act on it: bring Flink up, set up the tables and submit the job ({@link TableSetup}),
 * stop it with a savepoint ({@link PauseSteps}), resync ({@link ResyncSteps}), restore a job the cluster lost.
 * A step that fails for good records the failure, which the next derivation turns into Failed.
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final PipeCatalog catalog;
    private final FlinkSession flink;
    private final JobSpecs specs;
    private final PipeLocks locks;
    private final Clock clock;
    private final PipeStatuses statuses;
    private final PauseSteps pauses;
    private final TableSetup tableSetup;
    private final ResyncSteps resyncs;
    private final JobSignals jobSignals;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
        runnable -> new Thread(runnable, "ferry-reconciler"));

    public Reconciler(PipeCatalog catalog, FlinkSession flink, JobSpecs specs, RetainedCheckpoints checkpoints,
                      PipeLocks locks, Clock clock) {
        this.catalog = catalog;
        this.flink = flink;
        this.specs = specs;
        this.locks = locks;
        this.clock = clock;
        this.statuses = new PipeStatuses(catalog, clock);
        this.pauses = new PauseSteps(flink, checkpoints, statuses);
        this.tableSetup = new TableSetup(flink, specs, statuses, clock);
        this.resyncs = new ResyncSteps(flink, specs, statuses, pauses);
        this.jobSignals = new JobSignals(clock);
    }

    public void start(long intervalMillis) {
        loop.scheduleWithFixedDelay(this::tick, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** One pass over the catalog. */
    public void tick() {
        try {
            List<Pipe> pipes = catalog.list();
            jobSignals.retainJobs(pipes.stream().map(pipe -> pipe.status().flinkJobId())
                .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.toSet()));
            for (Pipe listed : pipes) {
                Pipe pipe = listed;
                try {
                    synchronized (locks.of(listed.id())) {
                        // read again under the pipe's lock: a user's action may have come in since the listing
                        Optional<Pipe> fresh = catalog.find(listed.id());
                        if (fresh.isEmpty()) {
                            continue;
                        }
                        pipe = fresh.get();
                        reconcile(pipe);
                    }
                } catch (RuntimeException e) {
                    log.warn("reconciling pipe {} ({}) failed, will retry: {}", pipe.request().name(), pipe.id(),
                        e.getMessage());
                }
            }
        } catch (Throwable t) {
            // anything escaping here would silently cancel every later tick of the scheduled loop
            log.error("reconciliation pass failed; the next pass retries", t);
        }
    }

    private void reconcile(Pipe observed) {
        StateDerivation.Observation observation = observe(observed);
        Pipe pipe = recordSourcesGone(observed, observation.sourcesGone());
        StateDerivation.Derived derived = StateDerivation.derive(pipe.request(), pipe.status(), observation);
        Pipe current = statuses.save(pipe, pipe.status().withState(derived.state(), derived.reason()));
        if (StateDerivation.RESTORING.equals(derived.reason())) {
            restore(current);
            return;
        }
        if (current.status().resync() != null) {
            resyncs.resync(current, derived, observation);
            return;
        }
        switch (derived.state()) {
            case PROVISIONING -> provision(current);
            case SETUP -> {
                if (current.status().setUp() && current.status().flinkJobId() != null) {
                    tableSetup.setUpTables(current);
                } else {
                    tableSetup.setUp(current);
                }
            }
            case PAUSING -> pauses.pause(current, observation);
            case FAILED -> observation.job().filter(job -> !job.isTerminal()).ifPresent(job -> {
                // a Failed pipe's job must not go on restarting: nothing it does can succeed; the failure is
                // recorded first, so that the cancelled job does not read as cancelled outside ferry
                statuses.save(current, current.status().failedBecause(derived.reason()));
                flink.client().cancel(job.jobId());
                log.info("pipe {} ({}): job {} cancelled: {}", current.request().name(), current.id(), job.jobId(),
                    derived.reason());
            });
            case MODIFYING -> {
                boolean stopped = current.status().pause().resumeFrom() != null
                    && observation.job().map(FlinkJobStatus::isTerminal).orElse(true);
                if (stopped) {
                    // the job stopped with the old settings or tables; the next pass starts it with the new ones
                    PipeStatus status = resyncs.swapInResyncedTables(current);
                    statuses.save(current, status.withPause(status.pause().released()));
                } else {
                    pauses.pause(current, observation);
                }
            }
            case RUNNING -> {
                PipeStatus status = current.status();
                List<String> resynced = status.tables().resyncing(PipeStatus.TableResync.LOADING);
                if (!resynced.isEmpty()) {
                    // loaded: stop with a savepoint so that the swap happens between two writes of the job
                    statuses.save(current, status.withTables(status.tables().withResyncStep(resynced,
                        PipeStatus.TableResync.LOADED)).withPause(PipeStatus.Pause.requested(true)).snapshotCompleted());
                } else if (!status.snapshotDone()) {
                    statuses.save(current, status.snapshotCompleted());
                }
            }
            default -> {
            }
        }
    }

    private StateDerivation.Observation observe(Pipe pipe) {
        String jobId = pipe.status().flinkJobId();
        if (jobId == null || pipe.status().failure() != null) {
            return StateDerivation.Observation.none();
        }
        FlinkRestClient client = flink.client();
        Optional<FlinkJobStatus> job = client.job(jobId);
        String cause = job.filter(j -> j.state().equals("FAILED")).map(j -> client.failureCause(jobId)).orElse(null);
        Optional<JobSignals.Reading> signals = job.filter(j -> j.state().equals("RUNNING"))
            .map(running -> jobSignals.of(client, running));
        return new StateDerivation.Observation(job, cause,
            signals.map(JobSignals.Reading::lagSeconds).orElse(OptionalLong.empty()), clock.millis(),
            signals.map(reading -> sourcesGone(pipe, reading.counters())).orElse(Map.of()));
    }

    /** The mapped tables whose collections the job saw dropped or renamed, by its counters. */
    private static Map<String, String> sourcesGone(Pipe pipe, Map<String, Long> counters) {
        Map<String, String> gone = new HashMap<>();
        for (PipeRequest.TableMapping mapping : pipe.request().tableMappings()) {
            String table = mapping.targetTable();
            if (pipe.status().tables().isResyncing(table)) {
                continue;
            }
            for (String event : List.of(JobGraphNames.SOURCE_DROPPED, JobGraphNames.SOURCE_RENAMED)) {
                if (counters.getOrDefault(JobGraphNames.sourceEventCounter(table, event), 0L) > 0) {
                    gone.put(table, event);
                }
            }
        }
        return gone;
    }

    /**
     * Records what the job saw happen to the pipe's collections, so that it outlasts the job's counters; with
     * {@code onSourceCollectionGone: failed} the pipe fails at once.
     */
    private Pipe recordSourcesGone(Pipe pipe, Map<String, String> gone) {
        if (pipe.status().sourcesGone().entrySet().containsAll(gone.entrySet())) {
            return pipe;
        }
        PipeStatus status = pipe.status().withSourcesGone(gone);
        if ("failed".equals(pipe.request().settings().onSourceCollectionGone())) {
            status = status.failedBecause(StateDerivation.sourcesGoneReason(pipe.request(), status.sourcesGone())
                + "; resync the pipe to go on (settings.onSourceCollectionGone is failed)");
        }
        return statuses.save(pipe, status);
    }

    private void provision(Pipe pipe) {
        flink.ensureJobJar();
        statuses.save(pipe, pipe.status().provisionedNow());
    }

    /**
     * Submits a stopped or lost job again from where it stopped: the savepoint (or checkpoint) its pause recorded,
     * else its newest retained checkpoint, so that it continues with its snapshot progress and change-stream
     * position; without either, from the start position captured at setup.
     */
    private void restore(Pipe pipe) {
        String previousJob = pipe.status().flinkJobId();
        Optional<String> from = Optional.ofNullable(pipe.status().pause().resumeFrom())
            .or(() -> pauses.latestCheckpoint(previousJob));
        PipeStatus.Resync resync = pipe.status().resync();
        String jobId = flink.submit(specs.write(pipe, pipe.status().startAtOperationTime(),
            resync == null ? "" : resync.tableSuffix()), from);
        log.info("pipe {} ({}): job {} started again as {} from {}", pipe.request().name(), pipe.id(), previousJob,
            jobId, from.orElse("the start (no savepoint or checkpoint was retained)"));
        statuses.save(pipe, pipe.status().withJob(jobId).withPause(PipeStatus.Pause.NONE));
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
