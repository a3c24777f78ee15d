package dev.ferry.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.common.Versions;
import dev.ferry.controller.connect.SyncLog;
import dev.ferry.controller.pipe.LifecycleState;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.UserAction;
import dev.ferry.controller.pipe.Problem;
import dev.ferry.controller.service.TableProgress;
import dev.ferry.controller.testing.ControllerLogic;
import dev.ferry.controller.testing.FakeConnections.FakeDestination;

/**
 * What the sync observer reads of a pipe, with a fake sync log and change stream: the counts of each table's current
 * load, and how far ClickHouse is behind MongoDB.
 */
class SyncObserverTest {

    private static final String SETTINGS = "{\"syncIntervalSeconds\": 1, \"lagThresholdSeconds\": 60}";

    @TempDir
    Path directory;
    private ControllerLogic logic;

    @BeforeEach
    void start() {
        logic = new ControllerLogic(directory);
    }

    @AfterEach
    void stop() {
        logic.close();
    }

    private static SyncLog.LoadTotals totals(long loadId, long snapshot, long inserts, long ranges, long lastVersion) {
        return new SyncLog.LoadTotals("orders", loadId, 3, snapshot, inserts, 0, 0, 0, 1_000, 0, "", ranges, ranges,
            1_800_000_000_000L, lastVersion);
    }

    private long loadId(Pipe pipe) {
        return pipe.status().tables().get("orders").loadId();
    }

    private TableProgress orders(String id) {
        return logic.service.tables(id).get(0);
    }

    @Test
    void aTableShowsTheTotalsOfItsCurrentLoadAndNoneOfAnEarlierOne() {
        Pipe pipe = logic.running("shop", SETTINGS);
        logic.servers.syncLog.totals.addAll(List.of(totals(loadId(pipe) - 5, 99, 99, 1, 0),
            totals(loadId(pipe), 10, 4, 2, 0)));

        logic.readSyncs(pipe.id());

        TableProgress orders = orders(pipe.id());
        assertThat(orders.snapshot().status()).isEqualTo("done");
        assertThat(orders.snapshot().rowsLoaded()).isEqualTo(10);
        assertThat(orders.cdc().inserts()).isEqualTo(4);
        assertThat(orders.countedAt()).isNotNull();
    }

    @Test
    void countsNotReadYetAreLeftOutRatherThanShownAsZero() {
        Pipe pipe = logic.running("shop", SETTINGS);

        TableProgress orders = orders(pipe.id());

        assertThat(orders.snapshot().rowsLoaded()).isNull();
        assertThat(orders.cdc()).isNull();
        assertThat(orders.countedAt()).isNull();
    }

    @Test
    void withNothingWaitingInTheStreamClickHouseIsNotBehind() {
        Pipe pipe = logic.running("shop", SETTINGS);

        logic.readSyncs(pipe.id());

        assertThat(logic.service.lagSeconds(pipe)).hasValue(0);
    }

    @Test
    void theLagIsTheAgeOfTheOldestChangeNotCommittedYet() {
        Pipe pipe = logic.running("shop", SETTINGS);
        logic.servers.probe.oldestWaiting = logic.clock.instant().minus(Duration.ofMillis(2_500));

        logic.readSyncs(pipe.id());

        assertThat(logic.service.lagSeconds(pipe)).hasValue(2.5);
    }

    /** The log read last: the stream is looked at first, so that a destination that hangs does not hold the lag up. */
    @Test
    void theStreamIsAskedForChangesAboveTheNewestVersionTheLogCommittedOrItsStart() {
        Pipe pipe = logic.running("shop", SETTINGS);
        long start = pipe.status().setup().startAtOperationTime();
        long beforeStart = Versions.snapshotVersion(start >>> 32, start & 0xffffffffL);

        logic.readSyncs(pipe.id());
        assertThat(logic.servers.probe.askedAbove).isEqualTo(beforeStart);

        logic.servers.syncLog.totals.add(totals(loadId(pipe), 10, 1, 1, beforeStart + 1_000));
        logic.readSyncs(pipe.id());
        logic.readSyncs(pipe.id());
        assertThat(logic.servers.probe.askedAbove).isEqualTo(beforeStart + 1_000);
    }

    @Test
    void aPausedPipeWithWritesWaitingShowsALagThatGrows() {
        Pipe pipe = logic.running("shop", SETTINGS);
        logic.service.act(pipe.id(), UserAction.PAUSE);
        logic.stepUntil(pipe.id(), "Paused", 5);
        logic.servers.probe.oldestWaiting = logic.clock.instant();

        logic.readSyncs(pipe.id());
        logic.clock.advance(Duration.ofSeconds(90));
        Pipe paused = logic.readSyncs(pipe.id());

        assertThat(logic.service.lagSeconds(paused)).hasValue(90);
        assertThat(paused.state()).isEqualTo(LifecycleState.PAUSED);
    }

    @Test
    void aRunningPipeFurtherBehindThanItsThresholdIsDegradedUntilItCatchesUp() {
        Pipe pipe = logic.running("shop", SETTINGS);
        logic.servers.probe.oldestWaiting = logic.clock.instant().minus(Duration.ofSeconds(61));

        logic.readSyncs(pipe.id());
        Pipe degraded = logic.step(pipe.id());
        assertThat(degraded.state()).isEqualTo(LifecycleState.DEGRADED);
        assertThat(degraded.problem()).isEqualTo(Problem.LAGGING);

        logic.servers.probe.oldestWaiting = null;
        logic.readSyncs(pipe.id());
        assertThat(logic.step(pipe.id()).state()).isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void whenClickHouseDoesNotAnswerTheLastCountsStayAndTheLagStillGrows() {
        Pipe pipe = logic.running("shop", SETTINGS);
        logic.servers.syncLog.totals.add(totals(loadId(pipe), 10, 4, 2, 0));
        logic.readSyncs(pipe.id());
        logic.servers.destination.failWith(FakeDestination.unreachable());
        logic.servers.probe.oldestWaiting = logic.clock.instant();
        logic.clock.advance(Duration.ofSeconds(30));

        logic.readSyncs(pipe.id());

        assertThat(orders(pipe.id()).cdc().inserts()).isEqualTo(4);
        assertThat(logic.service.lagSeconds(pipe)).hasValue(30);
    }

    @Test
    void whenMongoDbDoesNotAnswerTheLagGrowsFromTheOldestChangeKnownToWait() {
        Pipe pipe = logic.running("shop", SETTINGS);
        logic.servers.probe.oldestWaiting = logic.clock.instant();
        logic.readSyncs(pipe.id());
        logic.servers.probe.unreachable = true;
        logic.clock.advance(Duration.ofSeconds(20));

        logic.readSyncs(pipe.id());

        assertThat(logic.service.lagSeconds(pipe)).hasValue(20);
    }

    @Test
    void aSnapshotOnlyPipeHasNoLag() {
        Pipe pipe = logic.create("shop", "{\"replicationMode\": \"snapshot\"}");
        logic.stepUntil(pipe.id(), "Snapshot", 5);

        logic.readSyncs(pipe.id());

        assertThat(logic.service.lagSeconds(pipe)).isEmpty();
    }

    @Test
    void theSyncLogIsCreatedBeforeEachJobIsSubmitted() {
        Pipe pipe = logic.running("shop", SETTINGS);

        assertThat(logic.servers.syncLog.creations).isEqualTo(logic.flink.submissions.size()).isPositive();
        assertThat(logic.flink.lastJob().spec.syncLog().toString()).isEqualTo("ferry.sync_log");
        assertThat(logic.flink.lastJob().spec.tables().get(0).loadId()).isEqualTo(loadId(pipe)).isPositive();
    }

    @Test
    void aResyncOfATableStartsANewLoadWhoseCountsStartOver() {
        Pipe pipe = logic.running("shop", SETTINGS);
        long before = loadId(pipe);
        logic.servers.syncLog.totals.add(totals(before, 10, 4, 2, 0));

        logic.service.resyncTable(pipe.id(), "orders");
        Pipe resyncing = logic.stepUntil(pipe.id(), "Snapshot", 6);
        logic.readSyncs(pipe.id());

        assertThat(loadId(resyncing)).isGreaterThan(before);
        assertThat(orders(pipe.id()).snapshot().rowsLoaded()).isZero();
        assertThat(orders(pipe.id()).cdc().inserts()).isZero();
    }

    @Test
    void theRowsASecondAreTheRowsOfEveryKindCommittedOverTheLastMinute() {
        Pipe pipe = logic.running("shop", SETTINGS);
        logic.servers.syncLog.totals.add(totals(loadId(pipe), 100, 0, 1, 0));
        logic.readSyncs(pipe.id());

        logic.clock.advance(Duration.ofSeconds(10));
        logic.servers.syncLog.totals.set(0, totals(loadId(pipe), 300, 50, 1, 0));
        logic.readSyncs(pipe.id());

        assertThat(logic.service.syncObservation(pipe).orElseThrow().rowsPerSecond()).hasValue(25.0);
    }

    @Test
    void aLoadThatBeganAfterTheFirstReadingCountsAllItsRows() {
        Pipe pipe = logic.running("shop", SETTINGS);
        logic.readSyncs(pipe.id());

        logic.clock.advance(Duration.ofSeconds(10));
        logic.servers.syncLog.totals.add(totals(loadId(pipe), 400, 0, 1, 0));
        logic.readSyncs(pipe.id());

        assertThat(logic.service.syncObservation(pipe).orElseThrow().rowsPerSecond()).hasValue(40.0);
    }

    @Test
    void noRateIsGivenOverLessThanFiveSeconds() {
        Pipe pipe = logic.running("shop", SETTINGS);
        logic.readSyncs(pipe.id());

        logic.clock.advance(Duration.ofSeconds(2));
        logic.servers.syncLog.totals.add(totals(loadId(pipe), 400, 0, 1, 0));
        logic.readSyncs(pipe.id());

        assertThat(logic.service.syncObservation(pipe).orElseThrow().rowsPerSecond()).isEmpty();
    }
}
