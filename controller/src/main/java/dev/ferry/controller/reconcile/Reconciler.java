package dev.ferry.controller.reconcile;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.controller.SyncLogSettings;
import dev.ferry.controller.catalog.PipeCatalog;
import dev.ferry.controller.connect.Connections;
import dev.ferry.controller.flink.FlinkService;
import dev.ferry.controller.flink.RetainedCheckpoints;
import dev.ferry.controller.pipe.Observations;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeStatus;

/**
 * Drives every pipe toward what its spec asks, one step per pipe at a time: every tick, each pipe that is due (not
 * waiting out a retry's pause, unless its spec changed since) gets a step on a pool of workers, so that one slow or
 * unreachable pipe never holds up the others. A pipe's step and its deletion never run at the same time.
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final int WORKERS = 4;

    private final PipeCatalog catalog;
    private final PipeReconciler steps;
    private final JobObserver observer;
    private final Observations observations;
    private final Clock clock;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
        runnable -> new Thread(runnable, "ferry-reconciler"));
    private final ExecutorService workers;

    public Reconciler(PipeCatalog catalog, FlinkService flink, RetainedCheckpoints checkpoints, Connections connections,
                      SyncLogSettings syncLog, Observations observations, Clock clock) {
        this.catalog = catalog;
        this.observations = observations;
        this.clock = clock;
        this.observer = new JobObserver(flink, connections, observations, clock);
        this.steps = new PipeReconciler(flink, checkpoints, connections, syncLog, observer, observations, (pipeId, status) -> catalog
            .update(pipeId, pipe -> observations.withState(pipe.withStatus(status)))
            .orElseThrow(() -> new Step.PipeDeleted(pipeId)), clock);
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(WORKERS,
            runnable -> new Thread(runnable, "ferry-reconcile-" + count.incrementAndGet()));
    }

    public void start(long intervalMillis) {
        ticker.scheduleWithFixedDelay(this::tick, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts a step of every pipe that is due and has none running. */
    public void tick() {
        try {
            for (Pipe pipe : catalog.list()) {
                if (isDue(pipe) && inFlight.add(pipe.id())) {
                    workers.execute(() -> run(pipe.id()));
                }
            }
        } catch (RuntimeException e) {
            log.error("reconciliation pass failed; the next pass retries", e);
        }
    }

    /** A pipe waiting out a retry's pause is due when the pause is over, or at once when its spec changed since. */
    boolean isDue(Pipe pipe) {
        PipeStatus.Retry retry = pipe.status().retry();
        return retry == null || retry.generation() != pipe.spec().generation()
            || clock.millis() >= retry.nextAttemptMillis();
    }

    /** One step of the pipe, now, in the calling thread (tests drive the reconciler this way). */
    public void reconcile(String pipeId) {
        synchronized (lockOf(pipeId)) {
            catalog.find(pipeId).ifPresent(steps::reconcile);
        }
    }

    private void run(String pipeId) {
        try {
            reconcile(pipeId);
        } catch (RuntimeException e) {
            log.error("reconciling pipe {} failed; the next pass retries", pipeId, e);
        } finally {
            inFlight.remove(pipeId);
        }
    }

    /**
     * Deletes a pipe (the operator's clean-up step), while no step of it runs: its job is cancelled, its tables
     * dropped when {@code dropTables}, and the pipe forgotten by the catalog and every observer.
     */
    public void cleanup(String pipeId, boolean dropTables) {
        synchronized (lockOf(pipeId)) {
            catalog.find(pipeId).ifPresent(pipe -> steps.cleanup(pipe, dropTables));
            catalog.delete(pipeId);
            observations.forgetPipe(pipeId);
        }
        locks.remove(pipeId);
        observer.forget(pipeId);
    }

    private Object lockOf(String pipeId) {
        return locks.computeIfAbsent(pipeId, id -> new Object());
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        workers.shutdownNow();
        try {
            ticker.awaitTermination(10, TimeUnit.SECONDS);
            workers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
