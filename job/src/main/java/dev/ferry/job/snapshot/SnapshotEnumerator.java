package dev.ferry.job.snapshot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.job.JobMetrics;

/**
 * Loads the collections {@code parallelTables} at a time, in the order given: a load's turn comes when an earlier
 * one is done; its collection is split into {@code _id} ranges (a {@link Partitioner}, on the coordinator's
 * I/O thread), and the ranges go to whichever reader asks next, so that all readers work on the loads under way.
 * A load is done when readers have finished every range of it. Readers report finished ranges and keep the report
 * until this enumerator acknowledges it, which it does once a checkpoint that holds it has completed: after a
 * restore, nothing finished is read again and nothing unfinished is forgotten.
 *
 * <p>Each load shows its phase ({@link JobMetrics#SNAPSHOT_PHASE_QUEUED} ...) as a gauge of the enumerator.
 */
final class SnapshotEnumerator implements SplitEnumerator<SnapshotSplit, SnapshotEnumeratorState> {

    private static final Logger log = LoggerFactory.getLogger(SnapshotEnumerator.class);

    private final SplitEnumeratorContext<SnapshotSplit> context;
    private final Map<String, SnapshotLoad> loads;
    private final Partitioner partitioner;
    private final int parallelTables;
    private final Deque<String> queued;
    private final Set<String> partitioning = new LinkedHashSet<>();
    private final Map<String, Set<String>> remaining;
    private final Deque<SnapshotSplit> unassigned;
    private final Set<String> done;
    private final Map<String, Long> rowsRead;
    private final Set<Integer> waitingReaders = new TreeSet<>();
    private final Set<Integer> finishing = new HashSet<>();
    private final Map<Integer, Set<String>> unacknowledged = new HashMap<>();
    private final NavigableMap<Long, Map<Integer, Set<String>>> acknowledgedAt = new TreeMap<>();

    SnapshotEnumerator(SplitEnumeratorContext<SnapshotSplit> context, List<SnapshotLoad> loads,
                       Partitioner partitioner, int parallelTables,
                       SnapshotEnumeratorState state) {
        this.context = context;
        this.loads = new LinkedHashMap<>();
        loads.forEach(load -> this.loads.put(load.key(), load));
        this.partitioner = partitioner;
        this.parallelTables = parallelTables;
        // a restored state may name loads the job no longer has (a table removed from the pipe): they are dropped
        this.queued = new ArrayDeque<>(state.queued().stream().filter(this.loads::containsKey).toList());
        this.remaining = new LinkedHashMap<>();
        state.remaining().forEach((load, splits) -> {
            if (this.loads.containsKey(load)) {
                remaining.put(load, new HashSet<>(splits));
            }
        });
        this.unassigned = new ArrayDeque<>(state.unassigned().stream()
            .filter(split -> this.loads.containsKey(split.loadKey())).toList());
        this.done = new HashSet<>(state.done());
        this.rowsRead = new HashMap<>(state.rowsRead());
        for (String load : this.loads.keySet()) {
            if (!queued.contains(load) && !remaining.containsKey(load) && !done.contains(load)) {
                queued.add(load);
            }
        }
        registerGauges(context.metricGroup());
    }

    private void registerGauges(MetricGroup metrics) {
        for (SnapshotLoad load : loads.values()) {
            metrics.gauge(JobMetrics.snapshotPhase(load.table()), () -> phaseOf(load.key()));
            metrics.gauge(JobMetrics.snapshotRowsRead(load.table()),
                () -> rowsRead.getOrDefault(load.key(), 0L));
        }
    }

    private int phaseOf(String load) {
        if (done.contains(load)) {
            return JobMetrics.SNAPSHOT_PHASE_DONE;
        }
        return remaining.containsKey(load) || partitioning.contains(load) ? JobMetrics.SNAPSHOT_PHASE_LOADING
            : JobMetrics.SNAPSHOT_PHASE_QUEUED;
    }

    @Override
    public void start() {
        startLoads();
    }

    /** Starts the next queued loads while fewer than {@code parallelTables} are under way. */
    private void startLoads() {
        while (remaining.size() + partitioning.size() < parallelTables && !queued.isEmpty()) {
            String key = queued.poll();
            partitioning.add(key);
            SnapshotLoad load = loads.get(key);
            log.info("snapshot of {}.{} into table {}: splitting it into _id ranges", load.database(),
                load.collection(), load.table());
            context.callAsync(() -> partitioner.split(load), (splits, error) -> {
                if (error != null) {
                    throw new FlinkRuntimeException("could not split " + load.database() + "." + load.collection()
                        + " into _id ranges: " + error.getMessage(), error);
                }
                partitioned(key, splits);
            });
        }
    }

    private void partitioned(String key, List<SnapshotSplit> splits) {
        partitioning.remove(key);
        Set<String> ids = new HashSet<>();
        splits.forEach(split -> ids.add(split.splitId()));
        remaining.put(key, ids);
        unassigned.addAll(splits);
        log.info("snapshot of table {}: {} _id ranges", loads.get(key).table(), splits.size());
        assignToWaitingReaders();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        waitingReaders.add(subtaskId);
        assignToWaitingReaders();
    }

    private void assignToWaitingReaders() {
        for (Integer reader : new ArrayList<>(waitingReaders)) {
            if (!context.registeredReaders().containsKey(reader)) {
                waitingReaders.remove(reader);
            } else if (!unassigned.isEmpty()) {
                context.assignSplit(unassigned.poll(), reader);
                waitingReaders.remove(reader);
            } else if (allDone()) {
                context.signalNoMoreSplits(reader);
                waitingReaders.remove(reader);
                // a reader told there is nothing more finishes, and an event sent to its finished task would fail
                // the job: it gets no acknowledgement any more (it needs none: a restored reader reports again)
                finishing.add(reader);
                unacknowledged.remove(reader);
                acknowledgedAt.values().forEach(byReader -> byReader.remove(reader));
            }
        }
    }

    private boolean allDone() {
        return queued.isEmpty() && partitioning.isEmpty() && remaining.isEmpty() && unassigned.isEmpty();
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (!(event instanceof SplitsFinished finished)) {
            return;
        }
        finished.rowsBySplit().forEach((splitId, rows) -> {
            String key = splitId.substring(0, splitId.lastIndexOf('#'));
            Set<String> left = remaining.get(key);
            if (left != null && left.remove(splitId)) {
                rowsRead.merge(key, rows, Long::sum);
                if (left.isEmpty()) {
                    remaining.remove(key);
                    done.add(key);
                    log.info("snapshot of table {}: every _id range read, {} documents", loads.get(key).table(),
                        rowsRead.getOrDefault(key, 0L));
                }
            }
        });
        if (!finishing.contains(subtaskId)) {
            unacknowledged.computeIfAbsent(subtaskId, reader -> new HashSet<>()).addAll(finished.rowsBySplit().keySet());
        }
        startLoads();
        assignToWaitingReaders();
    }

    @Override
    public void addSplitsBack(List<SnapshotSplit> splits, int subtaskId) {
        // splits a failed reader had since the last checkpoint: the next reader to ask reads them from their start
        for (int i = splits.size() - 1; i >= 0; i--) {
            unassigned.addFirst(splits.get(i));
        }
    }

    @Override
    public void addReader(int subtaskId) {
        // a reader registers again after its task restarted: it may get ranges, and acknowledgements, again
        finishing.remove(subtaskId);
    }

    @Override
    public SnapshotEnumeratorState snapshotState(long checkpointId) {
        if (!unacknowledged.isEmpty()) {
            acknowledgedAt.put(checkpointId, new HashMap<>(unacknowledged));
            unacknowledged.clear();
        }
        List<String> waiting = new ArrayList<>(partitioning);
        waiting.addAll(queued);
        return new SnapshotEnumeratorState(waiting, remaining, new ArrayList<>(unassigned), done, rowsRead);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        Map<Long, Map<Integer, Set<String>>> complete = acknowledgedAt.headMap(checkpointId, true);
        complete.values().forEach(byReader -> byReader.forEach((reader, splitIds) -> {
            if (context.registeredReaders().containsKey(reader)) {
                context.sendEventToSourceReader(reader, new SplitsFinishedAck(new ArrayList<>(splitIds)));
            }
        }));
        complete.clear();
    }

    @Override
    public void close() {
        partitioner.close();
    }
}
