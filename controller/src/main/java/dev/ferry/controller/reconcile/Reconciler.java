package dev.ferry.controller.reconcile;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.ferry.controller.api.ApiException;
import dev.ferry.controller.catalog.PipeCatalog;
import dev.ferry.controller.connect.ClickHouseDestination;
import dev.ferry.controller.connect.ClickHouseVersion;
import dev.ferry.controller.connect.MongoSourceCheck;
import dev.ferry.controller.flink.FlinkJobStatus;
import dev.ferry.controller.flink.FlinkRestClient;
import dev.ferry.controller.flink.FlinkSession;
import dev.ferry.controller.flink.RetainedCheckpoints;
import dev.ferry.controller.pipe.LifecycleState;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeLocks;
import dev.ferry.controller.pipe.PipeRequest;
import dev.ferry.controller.pipe.PipeStatus;
import java.util.List;
import dev.ferry.controller.pipe.StateDerivation;
import dev.ferry.job.JobGraphNames;
import dev.ferry.job.cdc.ChangeEventRows;
import dev.ferry.job.cdc.StartPosition;

/**
 * Drives every pipe toward running, one step per pipe and tick: observe (the Flink job), derive the lifecycle
 * state and record it, then act on it (bring Flink up, set up the tables and submit the job, restore a job the
 * cluster lost). A step that fails
 * for good records the failure, which the next derivation turns into Failed.
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private static final String RESYNC_SUFFIX = PipeStatus.Resync.LOADING.tableSuffix();

    private final PipeCatalog catalog;
    private final FlinkSession flink;
    private final JobSpecs specs;
    private final RetainedCheckpoints checkpoints;
    private final PipeLocks locks;
    private final Clock clock;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
        runnable -> new Thread(runnable, "ferry-reconciler"));

    public Reconciler(PipeCatalog catalog, FlinkSession flink, JobSpecs specs, RetainedCheckpoints checkpoints,
                      PipeLocks locks, Clock clock) {
        this.locks = locks;
        this.catalog = catalog;
        this.flink = flink;
        this.specs = specs;
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    public void start(long intervalMillis) {
        loop.scheduleWithFixedDelay(this::tick, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** One pass over the catalog. */
    public void tick() {
        try {
            for (Pipe listed : catalog.list()) {
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
        Pipe current = save(pipe, pipe.status().withState(derived.state(), derived.reason()));
        if (StateDerivation.RESTORING.equals(derived.reason())) {
            restore(current);
            return;
        }
        if (current.status().resync() != null) {
            resync(current, derived, observation);
            return;
        }
        switch (derived.state()) {
            case PROVISIONING -> provision(current);
            case SETUP -> {
                if (current.status().setUp() && current.status().flinkJobId() != null) {
                    setUpTables(current);
                } else {
                    setUp(current);
                }
            }
            case PAUSING -> pause(current, observation);
            case FAILED -> observation.job().filter(job -> !job.isTerminal()).ifPresent(job -> {
                // a Failed pipe's job must not go on restarting: nothing it does can succeed; the failure is
                // recorded first, so that the cancelled job does not read as cancelled outside ferry
                save(current, current.status().failedBecause(derived.reason()));
                flink.client().cancel(job.jobId());
                log.info("pipe {} ({}): job {} cancelled: {}", current.request().name(), current.id(), job.jobId(),
                    derived.reason());
            });
            case MODIFYING -> {
                boolean stopped = current.status().pause().resumeFrom() != null
                    && observation.job().map(FlinkJobStatus::isTerminal).orElse(true);
                if (stopped) {
                    // the job stopped with the old settings or tables; the next pass starts it with the new ones
                    PipeStatus status = swapInResyncedTables(current);
                    save(current, status.withPause(status.pause().released()));
                } else {
                    pause(current, observation);
                }
            }
            case RUNNING -> {
                PipeStatus status = current.status();
                List<String> resynced = status.tables().resyncing(PipeStatus.TableResync.LOADING);
                if (!resynced.isEmpty()) {
                    // loaded: stop with a savepoint so that the swap happens between two writes of the job
                    save(current, status.withTables(status.tables().withResyncStep(resynced,
                        PipeStatus.TableResync.LOADED)).withPause(PipeStatus.Pause.requested(true)).snapshotCompleted());
                } else if (!status.snapshotDone()) {
                    save(current, status.snapshotCompleted());
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
        OptionalLong lag = job.filter(j -> j.state().equals("RUNNING"))
            .flatMap(j -> j.vertex(JobGraphNames::isChangeStreamVertex))
            .map(vertex -> client.gaugeMax(jobId, vertex.id(), JobGraphNames.CHANGE_STREAM_LAG_METRIC))
            .filter(seconds -> seconds.isPresent() && seconds.getAsLong() >= 0)
            .orElse(OptionalLong.empty());
        return new StateDerivation.Observation(job, cause, lag, clock.millis(),
            job.filter(j -> j.state().equals("RUNNING")).map(j -> sourcesGone(pipe, client.accumulators(jobId)))
                .orElse(Map.of()));
    }

    /** The mapped tables whose collections the job saw dropped or renamed, by its counters. */
    private static Map<String, String> sourcesGone(Pipe pipe, Map<String, Long> counters) {
        Map<String, String> gone = new HashMap<>();
        for (PipeRequest.TableMapping mapping : pipe.request().tableMappings()) {
            String table = mapping.targetTable();
            if (pipe.status().tables().isResyncing(table)) {
                continue;
            }
            for (String event : List.of(ChangeEventRows.DROPPED, ChangeEventRows.RENAMED)) {
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
        return save(pipe, status);
    }

    private void provision(Pipe pipe) {
        flink.ensureJobJar();
        save(pipe, pipe.status().provisionedNow());
    }

    private void setUp(Pipe pipe) {
        PipeRequest request = pipe.request();
        try {
            ClickHouseDestination destination = new ClickHouseDestination(request.destination());
            ClickHouseVersion version = destination.version();
            String docType = version.docColumnType(request.settings().docColumnType());
            if (docType == null) {
                save(pipe, pipe.status().failedBecause("docColumnType JSON needs ClickHouse 25.3 or newer, and "
                    + request.destination().url() + " runs " + version + "; use docColumnType auto or String"));
                return;
            }
            destination.createDatabase();
            for (PipeRequest.TableMapping mapping : request.tableMappings()) {
                destination.createTable(mapping.targetTable(), docType, version.syncedAtType());
            }
            Map<String, Long> estimates = new HashMap<>();
            long startAt;
            try (MongoClient client = MongoClients.create(MongoSourceCheck.effectiveUri(request.source()))) {
                // captured before the job starts, so the change stream covers every write the snapshot might miss
                startAt = StartPosition.capture(client).getValue();
                for (PipeRequest.TableMapping mapping : request.tableMappings()) {
                    estimates.put(mapping.targetTable(), client.getDatabase(mapping.sourceDatabaseName())
                        .getCollection(mapping.sourceCollection()).estimatedDocumentCount());
                }
            }
            String jobId = flink.submit(specs.write(pipe, startAt, ""), Optional.empty());
            log.info("pipe {} ({}): job {} submitted", request.name(), pipe.id(), jobId);
            save(pipe, pipe.status().setUpWith(startAt, docType, estimates, jobId));
        } catch (ApiException e) {
            save(pipe, pipe.status().failedBecause(e.getMessage()));
        }
    }

    /**
     * Submits a stopped or lost job again from where it stopped: the savepoint (or checkpoint) its pause recorded,
     * else its newest retained checkpoint, so that it continues with its snapshot progress and change-stream
     * position; without either, from the start position captured at setup.
     */
    private void restore(Pipe pipe) {
        String previousJob = pipe.status().flinkJobId();
        Optional<String> from = Optional.ofNullable(pipe.status().pause().resumeFrom())
            .or(() -> latestCheckpoint(previousJob));
        PipeStatus.Resync resync = pipe.status().resync();
        String jobId = flink.submit(specs.write(pipe, pipe.status().startAtOperationTime(),
            resync == null ? "" : resync.tableSuffix()), from);
        log.info("pipe {} ({}): job {} started again as {} from {}", pipe.request().name(), pipe.id(), previousJob,
            jobId, from.orElse("the start (no savepoint or checkpoint was retained)"));
        save(pipe, pipe.status().withJob(jobId).withPause(PipeStatus.Pause.NONE));
    }

    /**
     * Creates the tables added to the pipe, and the {@code _resync} tables of the tables to resync on their own,
     * and gives each a snapshot of its own starting just after the current cluster time; the changes that the
     * resumed stream replays from before that lose to it.
     */
    private void setUpTables(Pipe pipe) {
        PipeStatus status = pipe.status();
        PipeStatus.TableSnapshots tables = status.tables();
        List<String> mapped = pipe.request().tableMappings().stream().map(PipeRequest.TableMapping::targetTable)
            .toList();
        ClickHouseDestination destination = new ClickHouseDestination(pipe.request().destination());
        String syncedAtType = destination.version().syncedAtType();
        Map<String, PipeStatus.TableSnapshot> snapshots = new HashMap<>(tables.snapshots());
        Map<String, Long> estimates = new HashMap<>();
        try (MongoClient client = MongoClients.create(MongoSourceCheck.effectiveUri(pipe.request().source()))) {
            long startAt = StartPosition.capture(client).getValue();
            for (PipeRequest.TableMapping mapping : pipe.request().tableMappings()) {
                String table = mapping.targetTable();
                boolean added = tables.pending().contains(table);
                boolean resynced = tables.pendingResync().contains(table);
                if (!added && !resynced) {
                    continue;
                }
                String created = resynced ? table + RESYNC_SUFFIX : table;
                if (resynced) {
                    destination.dropTable(created); // left by an earlier attempt
                }
                destination.createTable(created, status.docColumnType(), syncedAtType);
                PipeStatus.TableSnapshot previous = snapshots.get(table);
                // a new generation names a new snapshot operator, which loads the collection again
                int generation = Math.max((int) (clock.millis() / 1000), previous == null ? 0 : previous.generation() + 1);
                snapshots.put(table, new PipeStatus.TableSnapshot(generation, startAt,
                    resynced ? PipeStatus.TableResync.LOADING : null));
                estimates.put(table, client.getDatabase(mapping.sourceDatabaseName())
                    .getCollection(mapping.sourceCollection()).estimatedDocumentCount());
            }
        }
        log.info("pipe {} ({}): tables set up: added {}, resyncing {}", pipe.request().name(), pipe.id(),
            tables.pending(), tables.pendingResync().stream().filter(mapped::contains).toList());
        save(pipe, status.withTables(new PipeStatus.TableSnapshots(Map.copyOf(snapshots), List.of(), List.of()))
            .withoutSourceGone(tables.pendingResync()).withEstimates(estimates).snapshotPending());
    }

    /** Swaps in the {@code _resync} tables of the tables resynced on their own that are loaded; the job is stopped. */
    private PipeStatus swapInResyncedTables(Pipe pipe) {
        PipeStatus status = pipe.status();
        List<String> loaded = status.tables().resyncing(PipeStatus.TableResync.LOADED);
        if (loaded.isEmpty()) {
            return status;
        }
        new ClickHouseDestination(pipe.request().destination()).swapInResyncTables(loaded, RESYNC_SUFFIX);
        log.info("pipe {} ({}): resynced tables {} swapped in", pipe.request().name(), pipe.id(), loaded);
        return status.withTables(status.tables().withResyncStep(loaded, null));
    }

    /**
     * One step of a resync: stop the old job and start a fresh snapshot into {@code _resync} tables from a new
     * start position; once loaded, stop the job with a savepoint, swap the tables in (soft-deleted rows carried
     * over) and let the job go on from the savepoint, writing to the originals.
     */
    private void resync(Pipe pipe, StateDerivation.Derived derived, StateDerivation.Observation observation) {
        PipeStatus status = pipe.status();
        PipeRequest request = pipe.request();
        ClickHouseDestination destination = new ClickHouseDestination(request.destination());
        List<String> tables = request.tableMappings().stream().map(PipeRequest.TableMapping::targetTable).toList();
        switch (status.resync()) {
            case REQUESTED -> {
                observation.job().filter(job -> !job.isTerminal()).ifPresent(job -> flink.client().cancel(job.jobId()));
                String syncedAtType = destination.version().syncedAtType();
                for (String table : tables) {
                    destination.dropTable(table + PipeStatus.Resync.LOADING.tableSuffix());
                    destination.createTable(table + PipeStatus.Resync.LOADING.tableSuffix(), status.docColumnType(),
                        syncedAtType);
                }
                long startAt;
                try (MongoClient client = MongoClients.create(MongoSourceCheck.effectiveUri(request.source()))) {
                    startAt = StartPosition.capture(client).getValue();
                }
                String jobId = flink.submit(specs.write(pipe, startAt, PipeStatus.Resync.LOADING.tableSuffix()),
                    Optional.empty());
                log.info("pipe {} ({}): resync started as job {}", request.name(), pipe.id(), jobId);
                save(pipe, status.withResync(PipeStatus.Resync.LOADING, startAt, jobId));
            }
            case LOADING -> {
                if (derived.state() == LifecycleState.RESYNC) {
                    save(pipe, status.withResync(PipeStatus.Resync.SWAPPING, status.startAtOperationTime(),
                        status.flinkJobId()).withPause(PipeStatus.Pause.requested(true)));
                }
            }
            case SWAPPING -> {
                boolean stopped = observation.job().map(FlinkJobStatus::isTerminal).orElse(true);
                if (status.pause().resumeFrom() != null && stopped) {
                    destination.swapInResyncTables(tables, PipeStatus.Resync.LOADING.tableSuffix());
                    log.info("pipe {} ({}): resynced tables swapped in", request.name(), pipe.id());
                    save(pipe, status.withResync(null, status.startAtOperationTime(), status.flinkJobId())
                        .withPause(status.pause().released()).snapshotCompleted());
                } else {
                    pause(pipe, observation);
                }
            }
        }
    }

    /**
     * One step of a pause: trigger stop-with-savepoint, then wait for it; when it fails, fall back to the newest
     * retained checkpoint, and when there is none either, keep the job running and say so.
     */
    private void pause(Pipe pipe, StateDerivation.Observation observation) {
        PipeStatus.Pause pause = pipe.status().pause();
        String jobId = pipe.status().flinkJobId();
        boolean jobActive = observation.job().map(job -> !job.isTerminal()).orElse(false);
        if (pause.resumeFrom() != null) {
            // the savepoint is recorded; the job finishes by itself
            return;
        }
        FlinkRestClient client = flink.client();
        if (jobActive && pause.trigger() == null) {
            String trigger = client.stopWithSavepoint(jobId);
            log.info("pipe {} ({}): stopping job {} with a savepoint", pipe.request().name(), pipe.id(), jobId);
            save(pipe, pipe.status().withPause(pause.triggered(trigger)));
            return;
        }
        if (pause.trigger() != null && observation.job().isPresent()) {
            FlinkRestClient.SavepointStatus savepoint = client.savepoint(jobId, pause.trigger());
            if (savepoint.inProgress()) {
                return;
            }
            if (savepoint.location() != null) {
                save(pipe, pipe.status().withPause(pause.stoppedAt(savepoint.location(), null)));
                return;
            }
            fallBackToCheckpoint(pipe, "the savepoint failed: " + savepoint.failure(), jobActive);
            return;
        }
        if (!jobActive) {
            fallBackToCheckpoint(pipe, "the job stopped before its savepoint was recorded", false);
        }
    }

    private void fallBackToCheckpoint(Pipe pipe, String why, boolean jobActive) {
        String jobId = pipe.status().flinkJobId();
        Optional<String> checkpoint = latestCheckpoint(jobId);
        if (checkpoint.isPresent()) {
            if (jobActive) {
                flink.client().cancel(jobId);
            }
            save(pipe, pipe.status().withPause(pipe.status().pause().stoppedAt(checkpoint.get(),
                why + "; stopped at the newest checkpoint " + checkpoint.get() + " instead")));
        } else if (jobActive) {
            save(pipe, pipe.status().withPause(pipe.status().pause().abandoned("pause failed: " + why
                + " and no checkpoint was retained; the pipe keeps running, try again later")));
        } else {
            save(pipe, pipe.status().withPause(pipe.status().pause().stoppedAt(null, "stopped, but " + why
                + " and no checkpoint was retained: resuming loads the collections again from the start position")));
        }
    }

    private Optional<String> latestCheckpoint(String jobId) {
        return checkpoints.latest(jobId).map(path -> path.toUri().toString());
    }

    private Pipe save(Pipe pipe, PipeStatus status) {
        if (status.equals(pipe.status())) {
            return pipe;
        }
        Pipe updated = pipe.withStatus(status, clock.instant());
        if (status.state() != pipe.status().state()) {
            log.info("pipe {} ({}): {} -> {}: {}", pipe.request().name(), pipe.id(), pipe.status().state(),
                status.state(), status.stateReason());
        }
        catalog.updateStatus(updated);
        return updated;
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
