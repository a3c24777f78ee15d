package dev.ferry.controller.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.common.Versions;
import dev.ferry.controller.ServerException;
import dev.ferry.controller.SyncLogSettings;
import dev.ferry.controller.catalog.PipeCatalog;
import dev.ferry.controller.connect.ChangeProbe;
import dev.ferry.controller.connect.Connections;
import dev.ferry.controller.connect.SyncLog;
import dev.ferry.controller.pipe.DestinationSpec;
import dev.ferry.controller.pipe.Observations;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.SourceSpec;
import dev.ferry.controller.pipe.SyncObservation;
import dev.ferry.controller.pipe.TableMapping;

/**
 * Reads what each pipe's sync log and source say of it, for every pipe whose tables exist: each table's current
 * load as the log totals it, how fast each load's snapshot rows were committed lately, and how far ClickHouse is
 * behind MongoDB: the age of the oldest change of the pipe's collections above the newest version the log has
 * committed ({@link ChangeProbe}), so that a paused pipe with writes waiting, or a sink that is stuck, shows a lag
 * that grows. Once a second per pipe, each on a pool of its own (a slow or unreachable server delays only its pipe),
 * recorded in {@link Observations} for the API, the metrics and the lifecycle. A server that does not answer leaves
 * the last figures; the lag goes on growing from the oldest change known to be waiting.
 */
public final class SyncObserver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SyncObserver.class);
    private static final long INTERVAL_MILLIS = 1_000;
    private static final int READERS = 4;
    /** How far back rates look: a minute, or three syncs of the pipe if longer. */
    private static final long RATE_WINDOW_MILLIS = 60_000;
    /** The shortest span a rate is given over: the first seconds after the controller started give none. */
    private static final long SHORTEST_RATE_MILLIS = 5_000;

    private final PipeCatalog catalog;
    private final Connections connections;
    private final SyncLogSettings syncLog;
    private final Observations observations;
    private final Clock clock;
    private final Map<String, PipeReader> readers = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
        runnable -> new Thread(runnable, "ferry-sync-observer"));
    private final ExecutorService pool;

    public SyncObserver(PipeCatalog catalog, Connections connections, SyncLogSettings syncLog,
                        Observations observations, Clock clock) {
        this.catalog = catalog;
        this.connections = connections;
        this.syncLog = syncLog;
        this.observations = observations;
        this.clock = clock;
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(READERS,
            runnable -> new Thread(runnable, "ferry-sync-reader-" + count.incrementAndGet()));
    }

    public void start() {
        ticker.scheduleWithFixedDelay(this::tick, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            List<Pipe> pipes = catalog.list();
            Set<String> ids = new HashSet<>();
            for (Pipe pipe : pipes) {
                ids.add(pipe.id());
                if (inFlight.add(pipe.id())) {
                    pool.execute(() -> {
                        try {
                            observe(pipe.id());
                        } finally {
                            inFlight.remove(pipe.id());
                        }
                    });
                }
            }
            readers.keySet().stream().filter(id -> !ids.contains(id)).toList().forEach(this::forget);
        } catch (RuntimeException e) {
            log.error("reading the sync logs failed; the next pass tries again", e);
        }
    }

    /** One reading of the pipe, now, in the calling thread (tests drive the observer this way). */
    public void observe(String pipeId) {
        catalog.find(pipeId).ifPresentOrElse(pipe -> {
            PipeStatus status = pipe.status();
            if (status.setup() == null || status.lastReconciledSpec() == null) {
                return;
            }
            PipeSpec running = status.lastReconciledSpec();
            PipeReader reader = readers.compute(pipeId, (id, current) -> current != null && current.isFor(running)
                ? current : replaced(current, running));
            reader.read(pipe, observation -> observations.recordSync(pipeId, observation));
        }, () -> forget(pipeId));
    }

    private PipeReader replaced(PipeReader current, PipeSpec spec) {
        if (current != null) {
            current.close();
        }
        return new PipeReader(spec.destination(), spec.source());
    }

    private void forget(String pipeId) {
        PipeReader reader = readers.remove(pipeId);
        if (reader != null) {
            reader.close();
        }
        observations.forgetPipe(pipeId);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        pool.shutdownNow();
        try {
            ticker.awaitTermination(10, TimeUnit.SECONDS);
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readers.values().forEach(PipeReader::close);
        readers.clear();
    }

    /** One pipe's servers as the observer reaches them, and what it read of the pipe before. */
    private final class PipeReader {

        private final DestinationSpec destination;
        private final SourceSpec source;
        private final SyncLog log;
        private ChangeProbe probe;
        private Map<String, SyncLog.LoadTotals> loads = Map.of();
        /** The rows of every load the log has of the pipe (by table@load), current or not, as last read. */
        private Map<String, LoadRows> rowsByLoad = Map.of();
        /** The newest version the log has committed of any load, as last read (0: none read yet). */
        private long committedVersion;
        private boolean logRead;
        /** When the oldest change the probe last found waiting was made, while it waits (null: none). */
        private Instant oldestWaiting;
        private final Deque<Sample> samples = new ArrayDeque<>();

        PipeReader(DestinationSpec destination, SourceSpec source) {
            this.destination = destination;
            this.source = source;
            this.log = connections.syncLog(destination, syncLog.table());
        }

        boolean isFor(PipeSpec spec) {
            return destination.equals(spec.destination()) && source.equals(spec.source());
        }

        /**
         * Reads the pipe and hands {@code record} what it read. The lag is looked at first, from the newest version
         * the log had committed when last read (committed versions only grow, so it can only be overstated, by a
         * second), and recorded at once: a destination that hangs delays the counts, not the lag that shows it.
         * Before the log was first read, nothing is known to be committed: the log goes first, and until it answers
         * the lag is not known.
         */
        void read(Pipe pipe, Consumer<SyncObservation> record) {
            long now = clock.millis();
            boolean streams = pipe.status().lastReconciledSpec().settings().replicationMode().streamsChanges();
            if (!logRead) {
                readLog(pipe);
            }
            OptionalDouble lag = streams && logRead ? lag(pipe, now) : OptionalDouble.empty();
            record.accept(observation(lag, now));
            readLog(pipe);
            if (logRead) {
                samples.addLast(new Sample(now, rowsByLoad));
            }
            long window = Math.max(RATE_WINDOW_MILLIS, 3_000L * pipe.spec().settings().syncIntervalSeconds());
            while (samples.size() > 2 && now - samples.peekFirst().atMillis() > window) {
                samples.pollFirst();
            }
            record.accept(observation(lag, now));
        }

        /** What was read, with the rates since the oldest reading the window keeps. */
        private SyncObservation observation(OptionalDouble lag, long now) {
            Sample first = samples.peekFirst();
            Map<String, Double> snapshotRates = new HashMap<>();
            if (first == null || now - first.atMillis() < SHORTEST_RATE_MILLIS) {
                return new SyncObservation(loads, snapshotRates, OptionalDouble.empty(), lag, now);
            }
            double seconds = (now - first.atMillis()) / 1000.0;
            long rows = 0;
            for (SyncLog.LoadTotals load : loads.values()) {
                // a load the log had no rows of at the first reading began after it: all its rows are the window's
                LoadRows before = first.rows().getOrDefault(key(load), LoadRows.NONE);
                snapshotRates.put(load.table(), (load.snapshot() - before.snapshot()) / seconds);
                rows += rows(load) - before.all();
            }
            return new SyncObservation(loads, snapshotRates, OptionalDouble.of(rows / seconds), lag, now);
        }

        /** Each table's current load, and the newest committed version; on failure, what was read before. */
        private void readLog(Pipe pipe) {
            List<SyncLog.LoadTotals> totals;
            try {
                totals = log.totals(pipe.id());
            } catch (ServerException e) {
                SyncObserver.log.debug("pipe {}: its sync log did not answer: {}", pipe.name(), e.getMessage());
                return;
            }
            logRead = true;
            Map<String, SyncLog.LoadTotals> current = new HashMap<>();
            Map<String, LoadRows> rows = new HashMap<>();
            long newest = 0;
            for (SyncLog.LoadTotals load : totals) {
                rows.put(key(load), new LoadRows(load.snapshot(), rows(load)));
                PipeStatus.TableState state = pipe.status().tables().get(load.table());
                if (state != null && state.loadId() == load.loadId()) {
                    current.put(load.table(), load);
                }
                newest = Math.max(newest, load.lastVersion());
            }
            loads = current;
            rowsByLoad = Map.copyOf(rows);
            committedVersion = newest;
        }

        /**
         * How far ClickHouse is behind: the age of the oldest change above what is committed (the log's newest
         * version, or just before the stream's start), 0 when none waits.
         */
        private OptionalDouble lag(Pipe pipe, long now) {
            long start = pipe.status().setup().startAtOperationTime();
            long committed = Math.max(committedVersion, Versions.snapshotVersion(start >>> 32, start & 0xffffffffL));
            List<String> namespaces = pipe.status().lastReconciledSpec().tableMappings().stream()
                .map(TableMapping::namespace).toList();
            try {
                if (probe == null) {
                    probe = connections.changeProbe(source);
                }
                oldestWaiting = probe.oldestChangeAfter(committed, namespaces).orElse(null);
            } catch (ServerException e) {
                SyncObserver.log.debug("pipe {}: its source did not answer: {}", pipe.name(), e.getMessage());
                if (oldestWaiting == null) {
                    return OptionalDouble.empty();
                }
            }
            return OptionalDouble.of(oldestWaiting == null ? 0
                : Math.max(0, now - oldestWaiting.toEpochMilli()) / 1000.0);
        }

        private static String key(SyncLog.LoadTotals load) {
            return load.table() + "@" + load.loadId();
        }

        private static long rows(SyncLog.LoadTotals load) {
            return load.snapshot() + load.inserts() + load.updates() + load.replaces() + load.deletes();
        }

        void close() {
            if (probe != null) {
                probe.close();
            }
        }
    }

    /** The rows of each table's load (by table@load) at one reading. */
    private record Sample(long atMillis, Map<String, LoadRows> rows) {
    }

    /** A load's snapshot rows, and its rows of every kind. */
    private record LoadRows(long snapshot, long all) {
        static final LoadRows NONE = new LoadRows(0, 0);
    }
}
