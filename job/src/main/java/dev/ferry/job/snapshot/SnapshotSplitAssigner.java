package dev.ferry.job.snapshot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.job.JobMetrics;

/**
 * The snapshot's bookkeeping, apart from the split protocol (as flink-connector-mongodb's
 * {@code MongoScanSplitAssigner} keeps it apart from its enumerator): which loads wait their turn, which are being
 * split into {@code _id} ranges, which ranges of each load under way are not finished, which no reader has yet,
 * which loads are done and how many documents each has read. Loads go {@code parallelTables} at a time, in the
 * order given.
 */
final class SnapshotSplitAssigner {

    private static final Logger log = LoggerFactory.getLogger(SnapshotSplitAssigner.class);

    private final Map<String, SnapshotLoad> loads = new LinkedHashMap<>();
    private final int parallelTables;
    private final Deque<String> queued;
    private final Set<String> partitioning = new LinkedHashSet<>();
    private final Map<String, Set<String>> remaining = new LinkedHashMap<>();
    private final Deque<SnapshotSplit> unassigned;
    private final Set<String> done;
    private final Map<String, Long> rowsRead;

    /** The bookkeeping of {@code loads} as {@code state} left it; loads the state does not know are queued. */
    SnapshotSplitAssigner(List<SnapshotLoad> loads, int parallelTables, SnapshotEnumeratorState state) {
        loads.forEach(load -> this.loads.put(load.key(), load));
        this.parallelTables = parallelTables;
        // a restored state may name loads the job no longer has (a table removed from the pipe): they are dropped
        this.queued = new ArrayDeque<>(state.queued().stream().filter(this.loads::containsKey).toList());
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
    }

    Collection<SnapshotLoad> loads() {
        return loads.values();
    }

    /** The loads whose turn has come, now being split: as many as fewer than {@code parallelTables} are under way. */
    List<SnapshotLoad> loadsToStart() {
        List<SnapshotLoad> starting = new ArrayList<>();
        while (remaining.size() + partitioning.size() < parallelTables && !queued.isEmpty()) {
            String key = queued.poll();
            partitioning.add(key);
            starting.add(loads.get(key));
        }
        return starting;
    }

    /** A load has been split: its ranges wait for readers. */
    void partitioned(String key, List<SnapshotSplit> splits) {
        partitioning.remove(key);
        Set<String> ids = new HashSet<>();
        splits.forEach(split -> ids.add(split.splitId()));
        remaining.put(key, ids);
        unassigned.addAll(splits);
        log.info("snapshot of table {}: {} _id ranges", loads.get(key).table(), splits.size());
    }

    /** The next range for a reader, when one waits. */
    Optional<SnapshotSplit> next() {
        return Optional.ofNullable(unassigned.poll());
    }

    /** Ranges a failed reader had since the last checkpoint: the next reader to ask reads them from their start. */
    void addBack(List<SnapshotSplit> splits) {
        for (int i = splits.size() - 1; i >= 0; i--) {
            unassigned.addFirst(splits.get(i));
        }
    }

    /** A reader finished range {@code splitId} with {@code rows} documents; its load is done with its last range. */
    void finished(String splitId, long rows) {
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
    }

    /** Whether every load is done: no range is left to assign or to finish. */
    boolean allDone() {
        return queued.isEmpty() && partitioning.isEmpty() && remaining.isEmpty() && unassigned.isEmpty();
    }

    /** The load's phase, as its gauge shows it. */
    int phaseOf(String key) {
        if (done.contains(key)) {
            return JobMetrics.SNAPSHOT_PHASE_DONE;
        }
        return remaining.containsKey(key) || partitioning.contains(key) ? JobMetrics.SNAPSHOT_PHASE_LOADING
            : JobMetrics.SNAPSHOT_PHASE_QUEUED;
    }

    long rowsRead(String key) {
        return rowsRead.getOrDefault(key, 0L);
    }

    /** What a checkpoint keeps: a load being split counts as waiting, and is split again after a restore. */
    SnapshotEnumeratorState state() {
        List<String> waiting = new ArrayList<>(partitioning);
        waiting.addAll(queued);
        Map<String, Set<String>> left = new LinkedHashMap<>();
        remaining.forEach((key, ids) -> left.put(key, Set.copyOf(ids)));
        return new SnapshotEnumeratorState(waiting, left, new ArrayList<>(unassigned), done, rowsRead);
    }
}
