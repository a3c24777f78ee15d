package dev.ferry.job.snapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * A source coordinator in memory: readers register, assignments and events are recorded, and the work the
 * enumerator hands to the I/O thread waits until a test runs it ({@link #runAsyncCalls()}).
 */
final class FakeEnumeratorContext implements SplitEnumeratorContext<SnapshotSplit> {

    final Map<Integer, List<SnapshotSplit>> assigned = new TreeMap<>();
    final TreeSet<Integer> noMoreSplits = new TreeSet<>();
    final Map<Integer, List<SourceEvent>> events = new HashMap<>();
    final Map<String, Gauge<?>> gauges = new HashMap<>();
    private final Map<Integer, ReaderInfo> readers = new HashMap<>();
    private final List<Runnable> asyncCalls = new ArrayList<>();
    private final int parallelism;

    FakeEnumeratorContext(int parallelism) {
        this.parallelism = parallelism;
    }

    void register(int subtask) {
        readers.put(subtask, new ReaderInfo(subtask, "localhost"));
    }

    /** Runs the calls handed to the I/O thread so far, and hands their results back, as the coordinator does. */
    void runAsyncCalls() {
        List<Runnable> calls = new ArrayList<>(asyncCalls);
        asyncCalls.clear();
        calls.forEach(Runnable::run);
    }

    Object gauge(String name) {
        return gauges.get(name).getValue();
    }

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
        return new Gauges();
    }

    @Override
    public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
        events.computeIfAbsent(subtaskId, reader -> new ArrayList<>()).add(event);
    }

    @Override
    public int currentParallelism() {
        return parallelism;
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
        return readers;
    }

    @Override
    public void assignSplits(SplitsAssignment<SnapshotSplit> assignment) {
        assignment.assignment().forEach((reader, splits) ->
            assigned.computeIfAbsent(reader, r -> new ArrayList<>()).addAll(splits));
    }

    @Override
    public void signalNoMoreSplits(int subtask) {
        noMoreSplits.add(subtask);
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
        asyncCalls.add(() -> {
            T result;
            try {
                result = callable.call();
            } catch (Exception e) {
                handler.accept(null, e);
                return;
            }
            handler.accept(result, null);
        });
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler, long initialDelay, long period) {
        throw new UnsupportedOperationException("the snapshot's enumerator polls nothing");
    }

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
        runnable.run();
    }

    /** A metric group that keeps the gauges registered on it. */
    private final class Gauges extends UnregisteredMetricsGroup implements SplitEnumeratorMetricGroup {

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            gauges.put(name, gauge);
            return gauge;
        }

        @Override
        public <G extends Gauge<Long>> G setUnassignedSplitsGauge(G gauge) {
            return gauge;
        }
    }
}
