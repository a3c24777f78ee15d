package dev.ferry.controller.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import dev.ferry.controller.connect.SyncLog;
import dev.ferry.controller.pipe.LifecycleState;
import dev.ferry.controller.pipe.Phase;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeSettings;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.SyncObservation;
import dev.ferry.controller.pipe.TableMapping;
import dev.ferry.controller.testing.PipeFixtures;

/** A table's progress as the API shows it, from what the sync log said of its current load. */
class TableProgressTest {

    private static final long LOAD = 1_700_000_000_000L;
    private static final TableMapping ORDERS = new TableMapping("shop", "orders", "orders");

    private static Pipe pipe(Phase phase, boolean loaded, long loadId) {
        return PipeFixtures.pipe(PipeFixtures.spec(), PipeStatus.initial().toBuilder().phase(phase)
            .tables(Map.of("orders", new PipeStatus.TableState(0, 0, null, 0, 1_000, loaded, loadId))).build(),
            LifecycleState.SNAPSHOT);
    }

    private static SyncObservation read(SyncLog.LoadTotals... loads) {
        Map<String, SyncLog.LoadTotals> byTable = new java.util.HashMap<>();
        for (SyncLog.LoadTotals load : loads) {
            byTable.put(load.table(), load);
        }
        return new SyncObservation(byTable, Map.of("orders", 250.0), OptionalDouble.of(12), OptionalDouble.of(0), 1_000);
    }

    private static SyncLog.LoadTotals load(long snapshot, long rangesDone, long ranges) {
        return new SyncLog.LoadTotals("orders", LOAD, 2, snapshot, 3, 2, 1, 1, 500, 0, "", rangesDone, ranges,
            900, 77);
    }

    private static TableProgress progress(Pipe pipe, SyncObservation sync) {
        return TableProgress.of(pipe, ORDERS, Optional.of(sync));
    }

    @Test
    void aLoadIsDoneOnceEveryRangeHasEndedInACommittedSyncWithAllItsRows() {
        TableProgress done = progress(pipe(Phase.DEPLOYED, false, LOAD), read(load(1_000, 4, 4)));

        assertThat(done.snapshot().status()).isEqualTo("done");
        assertThat(done.snapshot().rowsLoaded()).isEqualTo(1_000);
        assertThat(done.snapshot().rowsPerSecond()).isNull();
    }

    @Test
    void aLoadWithRangesLeftIsRunningWithItsRateAndTimeLeftEvenWhenTheJobSaysItIsLoaded() {
        TableProgress running = progress(pipe(Phase.DEPLOYED, true, LOAD), read(load(500, 2, 4)));

        assertThat(running.snapshot().status()).isEqualTo("running");
        assertThat(running.snapshot().rowsLoaded()).isEqualTo(500);
        assertThat(running.snapshot().rowsPerSecond()).isEqualTo(250.0);
        assertThat(running.snapshot().etaSeconds()).isEqualTo(2);
    }

    @Test
    void aLoadNothingOfWhichIsCommittedIsQueuedWhileItsJobRunsAndPendingBefore() {
        SyncObservation nothing = read();

        assertThat(progress(pipe(Phase.DEPLOYED, false, LOAD), nothing).snapshot().status()).isEqualTo("queued");
        assertThat(progress(pipe(Phase.PROVISIONED, false, LOAD), nothing).snapshot().status()).isEqualTo("pending");
        assertThat(progress(pipe(Phase.DEPLOYED, false, LOAD), nothing).snapshot().rowsLoaded()).isZero();
    }

    @Test
    void changesAreTheLoadsWithWhenTheTableLastReceivedRows() {
        TableProgress.Cdc cdc = progress(pipe(Phase.DEPLOYED, true, LOAD), read(load(1_000, 4, 4))).cdc();

        assertThat(cdc).isEqualTo(new TableProgress.Cdc(3, 2, 1, 1, "1970-01-01T00:00:00.900Z"));
    }

    @Test
    void aTableLoadedBeforeFerryKeptASyncLogIsDoneWithItsRowsUnknown() {
        TableProgress legacy = progress(pipe(Phase.DEPLOYED, true, 0), read());

        assertThat(legacy.snapshot().status()).isEqualTo("done");
        assertThat(legacy.snapshot().rowsLoaded()).isNull();
    }

    @Test
    void aPipeThatTakesNoSnapshotSkipsIt() {
        Pipe cdcOnly = PipeFixtures.pipe(PipeFixtures.spec(new PipeSettings(PipeSettings.ReplicationMode.CDC_ONLY,
                60, 100, 2, 100_000, 2, PipeSettings.DocColumnType.AUTO, 300, PipeSettings.OnSourceGone.DEGRADED,
                dev.ferry.controller.pipe.AlertSettings.NONE, java.util.List.of(),
                PipeSettings.FullDocumentMode.UPDATE_LOOKUP)),
            pipe(Phase.DEPLOYED, true, LOAD).status(), LifecycleState.RUNNING);

        assertThat(progress(cdcOnly, read(load(0, 0, 0))).snapshot().status()).isEqualTo("skipped");
    }
}
