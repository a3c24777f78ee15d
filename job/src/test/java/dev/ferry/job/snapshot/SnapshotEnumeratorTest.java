package dev.ferry.job.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.BsonInt32;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import dev.ferry.job.JobMetrics;

/** How the snapshot's enumerator hands out the ranges of its loads, a few tables at a time, and what it keeps. */
class SnapshotEnumeratorTest {

    private static final SnapshotLoad ORDERS = new SnapshotLoad("orders@0", "shop", "orders", "orders", 7);
    private static final SnapshotLoad ITEMS = new SnapshotLoad("items@0", "shop", "items", "items", 7);

    /** Splits every load into {@code ranges} ranges of ints, and counts the loads it split. */
    private static final class Ranges implements Partitioner {

        private final int ranges;
        final List<String> split = new ArrayList<>();

        Ranges(int ranges) {
            this.ranges = ranges;
        }

        @Override
        public List<SnapshotSplit> split(SnapshotLoad load) {
            split.add(load.key());
            List<SnapshotSplit> splits = new ArrayList<>();
            for (int i = 0; i < ranges; i++) {
                BsonValue min = i == 0 ? new BsonMinKey() : new BsonInt32(i * 100);
                BsonValue max = i == ranges - 1 ? new BsonMaxKey() : new BsonInt32((i + 1) * 100);
                splits.add(SnapshotSplit.range(load.key(), i, ranges, min, max));
            }
            return splits;
        }

        @Override
        public void close() {
        }
    }

    private final FakeEnumeratorContext context = new FakeEnumeratorContext(2);
    private final Ranges partitioner = new Ranges(2);

    private SnapshotEnumerator enumerator(int parallelTables, SnapshotEnumeratorState state) {
        return new SnapshotEnumerator(context, List.of(ORDERS, ITEMS), partitioner, parallelTables, state);
    }

    private SnapshotEnumerator started(int parallelTables) {
        SnapshotEnumerator enumerator = enumerator(parallelTables,
            SnapshotEnumeratorState.initial(List.of(ORDERS.key(), ITEMS.key())));
        context.register(0);
        context.register(1);
        enumerator.start();
        context.runAsyncCalls();
        return enumerator;
    }

    private Object phaseOf(String table) {
        return context.gauge(JobMetrics.snapshotPhase(table));
    }

    /** A reader's report of these splits finished, each with 100 documents. */
    private static SplitsFinished finished(String... splitIds) {
        Map<String, Long> rows = new HashMap<>();
        for (String id : splitIds) {
            rows.put(id, 100L);
        }
        return new SplitsFinished(rows);
    }

    /** Reader 0 takes every range of both tables, reports them finished, and asks for more. */
    private static void readEverythingOnReaderZero(SnapshotEnumerator enumerator) {
        for (int range = 0; range < 4; range++) {
            enumerator.handleSplitRequest(0, "localhost");
        }
        enumerator.handleSourceEvent(0, finished("orders@0#0", "orders@0#1", "items@0#0", "items@0#1"));
        enumerator.handleSplitRequest(0, "localhost");
    }

    private static List<String> ids(List<SnapshotSplit> splits) {
        return splits.stream().map(SnapshotSplit::splitId).toList();
    }

    @Test
    void withOneTableAtATimeTheSecondTableWaitsQueued() {
        started(1);

        assertThat(partitioner.split).containsExactly("orders@0");
        assertThat(phaseOf("orders")).isEqualTo(JobMetrics.SNAPSHOT_PHASE_LOADING);
        assertThat(phaseOf("items")).isEqualTo(JobMetrics.SNAPSHOT_PHASE_QUEUED);
    }

    @Test
    void withTwoTablesAtATimeBothLoadTogether() {
        started(2);

        assertThat(partitioner.split).containsExactly("orders@0", "items@0");
    }

    @Test
    void readersGetTheRangesOfTheLoadsUnderWay() {
        SnapshotEnumerator enumerator = started(1);

        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSplitRequest(1, "localhost");

        assertThat(ids(context.assigned.get(0))).containsExactly("orders@0#0");
        assertThat(ids(context.assigned.get(1))).containsExactly("orders@0#1");
    }

    @Test
    void theNextTableStartsOnceEveryRangeOfTheOneBeforeIsFinished() {
        SnapshotEnumerator enumerator = started(1);
        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSplitRequest(1, "localhost");

        enumerator.handleSourceEvent(0, finished("orders@0#0"));
        context.runAsyncCalls();
        assertThat(partitioner.split).containsExactly("orders@0");

        enumerator.handleSourceEvent(1, finished("orders@0#1"));
        context.runAsyncCalls();
        assertThat(partitioner.split).containsExactly("orders@0", "items@0");
        assertThat(phaseOf("orders")).isEqualTo(JobMetrics.SNAPSHOT_PHASE_DONE);
        assertThat(phaseOf("items")).isEqualTo(JobMetrics.SNAPSHOT_PHASE_LOADING);
    }

    @Test
    void aReaderThatAskedWhileTheNextTableWasBeingSplitGetsItsRangeWhenTheyAreReady() {
        SnapshotEnumerator enumerator = started(1);
        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSplitRequest(1, "localhost");
        enumerator.handleSourceEvent(0, finished("orders@0#0"));
        enumerator.handleSourceEvent(1, finished("orders@0#1"));
        enumerator.handleSplitRequest(0, "localhost");
        assertThat(context.assigned.get(0)).hasSize(1);

        context.runAsyncCalls();

        assertThat(ids(context.assigned.get(0))).containsExactly("orders@0#0", "items@0#0");
        assertThat(context.noMoreSplits).isEmpty();
    }

    @Test
    void readersAreToldThereIsNothingMoreOnlyWhenEveryLoadIsDone() {
        SnapshotEnumerator enumerator = started(2);
        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSplitRequest(1, "localhost");
        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSplitRequest(1, "localhost");
        enumerator.handleSplitRequest(0, "localhost");
        assertThat(context.noMoreSplits).isEmpty();

        enumerator.handleSourceEvent(1, finished("orders@0#0", "orders@0#1", "items@0#0",
            "items@0#1"));

        assertThat(context.noMoreSplits).containsExactly(0);
        enumerator.handleSplitRequest(1, "localhost");
        assertThat(context.noMoreSplits).containsExactly(0, 1);
    }

    @Test
    void aReaderToldThereIsNothingMoreGetsNoAcknowledgementAfterwards() {
        SnapshotEnumerator enumerator = started(2);
        readEverythingOnReaderZero(enumerator);
        assertThat(context.noMoreSplits).containsExactly(0);

        enumerator.snapshotState(1);
        enumerator.notifyCheckpointComplete(1);

        // its task has finished: an event sent to it would fail the job
        assertThat(context.events).doesNotContainKey(0);
    }

    @Test
    void aReaderThatRegistersAgainIsAcknowledgedAgain() {
        SnapshotEnumerator enumerator = started(2);
        readEverythingOnReaderZero(enumerator);

        enumerator.addReader(0);
        enumerator.handleSourceEvent(0, finished("items@0#1"));
        enumerator.snapshotState(1);
        enumerator.notifyCheckpointComplete(1);

        assertThat(context.events.get(0)).containsExactly(new SplitsFinishedAck(List.of("items@0#1")));
    }

    @Test
    void finishedRangesAreAcknowledgedOnlyOnceACheckpointHoldingThemCompletes() {
        SnapshotEnumerator enumerator = started(1);
        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSourceEvent(0, finished("orders@0#0"));

        enumerator.notifyCheckpointComplete(1);
        assertThat(context.events).isEmpty();
        enumerator.snapshotState(2);
        enumerator.notifyCheckpointComplete(2);

        assertThat(context.events.get(0)).containsExactly(new SplitsFinishedAck(List.of("orders@0#0")));
    }

    @Test
    void aRestoredEnumeratorGoesOnWithWhatItHadNotFinished() {
        SnapshotEnumerator first = started(1);
        first.handleSplitRequest(0, "localhost");
        first.handleSourceEvent(0, finished("orders@0#0"));
        SnapshotEnumeratorState state = first.snapshotState(1);

        FakeEnumeratorContext restoredContext = new FakeEnumeratorContext(2);
        restoredContext.register(0);
        SnapshotEnumerator restored = new SnapshotEnumerator(restoredContext, List.of(ORDERS, ITEMS), partitioner,
            1, state);
        restored.start();
        restored.handleSplitRequest(0, "localhost");

        assertThat(ids(restoredContext.assigned.get(0))).containsExactly("orders@0#1");
        assertThat(partitioner.split).containsExactly("orders@0");
        assertThat(state.queued()).containsExactly("items@0");
        assertThat(state.remaining()).isEqualTo(Map.of("orders@0", Set.of("orders@0#1")));
    }

    @Test
    void aTablesDocumentsReadAreTheSumOfItsFinishedRangesCountedOnce() {
        SnapshotEnumerator enumerator = started(1);
        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSplitRequest(1, "localhost");

        enumerator.handleSourceEvent(0, finished("orders@0#0"));
        enumerator.handleSourceEvent(0, finished("orders@0#0"));
        enumerator.handleSourceEvent(1, finished("orders@0#1"));

        assertThat(context.gauge(JobMetrics.snapshotRowsRead("orders"))).isEqualTo(200L);
        assertThat(enumerator.snapshotState(1).rowsRead()).isEqualTo(Map.of("orders@0", 200L));
    }

    @Test
    void aReportRepeatedAfterARestoreChangesNothing() {
        SnapshotEnumerator enumerator = started(1);
        enumerator.handleSplitRequest(0, "localhost");
        enumerator.handleSourceEvent(0, finished("orders@0#0"));

        enumerator.handleSourceEvent(0, finished("orders@0#0"));

        assertThat(enumerator.snapshotState(1).remaining()).isEqualTo(Map.of("orders@0", Set.of("orders@0#1")));
    }

    @Test
    void aLoadTheJobNoLongerHasIsDroppedOnRestore() {
        SnapshotEnumeratorState state = new SnapshotEnumeratorState(List.of("gone@0", ITEMS.key()),
            Map.of(ORDERS.key(), Set.of("orders@0#1"), "gone@1", Set.of("gone@1#0")),
            List.of(SnapshotSplit.range("gone@1", 0, 1, new BsonMinKey(), new BsonMaxKey())), Set.of(), Map.of());

        SnapshotEnumerator restored = enumerator(2, state);

        SnapshotEnumeratorState kept = restored.snapshotState(1);
        assertThat(kept.queued()).containsExactly(ITEMS.key());
        assertThat(kept.remaining()).containsOnlyKeys(ORDERS.key());
        assertThat(kept.unassigned()).isEmpty();
    }
}
