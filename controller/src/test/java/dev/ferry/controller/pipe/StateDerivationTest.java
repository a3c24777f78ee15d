package dev.ferry.controller.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.ferry.controller.flink.FlinkJobStatus;

/** The lifecycle state follows from recorded facts and the observed Flink job. */
class StateDerivationTest {

    private static PipeRequest request(String mode) {
        return new PipeRequest("p", new PipeRequest.Source("mongodb://h/?replicaSet=rs0", null, null),
            new PipeRequest.Destination("http://ch:8123", "d", null),
            List.of(new PipeRequest.TableMapping("shop", "orders", "orders")),
            new PipeSettings(mode, 60, 1000, 2, "auto", 300, "degraded"));
    }

    private static final PipeStatus SUBMITTED = PipeStatus.created().provisionedNow()
        .setUpWith(1L, "String", "18.16", Map.of("orders", 10L), "job-1");

    private static StateDerivation.Observation job(String state, String snapshotStatus) {
        return job(state, snapshotStatus, FlinkJobStatus.Health.UNKNOWN);
    }

    private static StateDerivation.Observation job(String state, String snapshotStatus, FlinkJobStatus.Health health) {
        return new StateDerivation.Observation(Optional.of(new FlinkJobStatus("job-1", state, 0,
            List.of(new FlinkJobStatus.Vertex("v1", "Source: Snapshot orders", snapshotStatus, 0)), health)),
            "boom");
    }

    private static LifecycleState derive(String mode, PipeStatus status, StateDerivation.Observation observation) {
        return StateDerivation.derive(request(mode), status, observation).state();
    }

    @Test
    void aNewPipeIsProvisioningThenSetup() {
        assertThat(derive("cdc", PipeStatus.created(), StateDerivation.Observation.none()))
            .isEqualTo(LifecycleState.PROVISIONING);
        assertThat(derive("cdc", PipeStatus.created().provisionedNow(), StateDerivation.Observation.none()))
            .isEqualTo(LifecycleState.SETUP);
    }

    @Test
    void aRunningJobWhoseSnapshotIsUnfinishedIsSnapshot() {
        assertThat(derive("cdc", SUBMITTED, job("RUNNING", "RUNNING"))).isEqualTo(LifecycleState.SNAPSHOT);
    }

    @Test
    void aRunningJobWithItsSnapshotFinishedIsRunning() {
        assertThat(derive("cdc", SUBMITTED, job("RUNNING", "FINISHED"))).isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void aPipeWhoseSnapshotWasDoneStaysRunningWhileARestoredJobStarts() {
        assertThat(derive("cdc", SUBMITTED.snapshotCompleted(), job("RUNNING", "INITIALIZING")))
            .isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void cdcOnlyPipesAreRunningWithoutASnapshot() {
        StateDerivation.Observation noSnapshot = new StateDerivation.Observation(Optional.of(
            new FlinkJobStatus("job-1", "RUNNING", 0, List.of(), FlinkJobStatus.Health.UNKNOWN)), null);
        assertThat(derive("cdc_only", SUBMITTED, noSnapshot)).isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void aPauseRequestedWhileTheJobRunsIsPausingThenPausedOnceItsPositionIsRecorded() {
        PipeStatus pausing = SUBMITTED.withPause(PipeStatus.Pause.requested(false).triggered("trigger"));
        PipeStatus paused = SUBMITTED.withPause(PipeStatus.Pause.requested(false).stoppedAt("file:///sp/savepoint-1", null));

        assertThat(derive("cdc", pausing, job("RUNNING", "FINISHED"))).isEqualTo(LifecycleState.PAUSING);
        assertThat(derive("cdc", paused, job("FINISHED", "FINISHED"))).isEqualTo(LifecycleState.PAUSED);
    }

    @Test
    void aStopToApplyNewSettingsIsModifyingUntilTheJobRunsAgain() {
        PipeStatus stopping = SUBMITTED.snapshotCompleted().withPause(PipeStatus.Pause.requested(true).triggered("t"));
        PipeStatus stopped = SUBMITTED.snapshotCompleted()
            .withPause(PipeStatus.Pause.requested(true).stoppedAt("file:///sp/savepoint-2", null));

        assertThat(derive("cdc", stopping, job("RUNNING", "FINISHED"))).isEqualTo(LifecycleState.MODIFYING);
        assertThat(derive("cdc", stopped, job("FINISHED", "FINISHED"))).isEqualTo(LifecycleState.MODIFYING);
    }

    @Test
    void aResumedPipeWhoseJobWasStoppedIsStartedAgain() {
        PipeStatus resumed = SUBMITTED.snapshotCompleted()
            .withPause(PipeStatus.Pause.requested(false).stoppedAt("file:///sp/savepoint-1", null).released());

        StateDerivation.Derived derived = StateDerivation.derive(request("cdc"), resumed, job("FINISHED", "FINISHED"));

        assertThat(derived.state()).isEqualTo(LifecycleState.RUNNING);
        assertThat(derived.reason()).isEqualTo(StateDerivation.RESTORING);
    }

    @Test
    void aJobThatFailedSinceItsLastCheckpointIsDegraded() {
        FlinkJobStatus.Health failing = new FlinkJobStatus.Health(2_000, "MongoTimeoutException", "MongoTimeoutException", 1_000);

        assertThat(derive("cdc", SUBMITTED.snapshotCompleted(), job("RUNNING", "FINISHED", failing)))
            .isEqualTo(LifecycleState.DEGRADED);
        assertThat(derive("cdc", SUBMITTED.snapshotCompleted(), job("RESTARTING", "FINISHED")))
            .isEqualTo(LifecycleState.DEGRADED);
    }

    @Test
    void aChangeStreamWhoseHistoryIsLostIsFailedNotDegraded() {
        FlinkJobStatus.Health lost = new FlinkJobStatus.Health(2_000, "RuntimeException: fetcher failed",
            "RuntimeException: fetcher failed\nCaused by: com.mongodb.MongoCommandException: Command failed with error "
                + "286 (ChangeStreamHistoryLost)", 1_000);

        StateDerivation.Derived derived = StateDerivation.derive(request("cdc"), SUBMITTED.snapshotCompleted(),
            job("RUNNING", "FINISHED", lost));

        assertThat(derived.state()).isEqualTo(LifecycleState.FAILED);
        assertThat(derived.reason()).contains("resync");
    }

    @Test
    void aDroppedDestinationTableIsFailedNotDegraded() {
        FlinkJobStatus.Health dropped = new FlinkJobStatus.Health(2_000, "RuntimeException: Writing records to JDBC "
            + "failed.", "RuntimeException: Writing records to JDBC failed.\nCaused by: java.sql.SQLException: Code: 60, "
            + "e.displayText() = DB::Exception: Table d.orders doesn't exist.", 1_000);

        StateDerivation.Derived derived = StateDerivation.derive(request("cdc"), SUBMITTED.snapshotCompleted(),
            job("RUNNING", "FINISHED", dropped));

        assertThat(derived.state()).isEqualTo(LifecycleState.FAILED);
        assertThat(derived.reason()).contains("destination table").contains("resync");
    }

    @Test
    void aJobThatCheckpointedAfterItsLastFailureIsRunningAgain() {
        FlinkJobStatus.Health recovered = new FlinkJobStatus.Health(2_000, "MongoTimeoutException", "MongoTimeoutException", 3_000);

        assertThat(derive("cdc", SUBMITTED.snapshotCompleted(), job("RUNNING", "FINISHED", recovered)))
            .isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void aResyncLoadsAsSnapshotThenSwapsAsResync() {
        PipeStatus requested = SUBMITTED.snapshotCompleted().resyncRequested();
        PipeStatus loading = requested.withResync(PipeStatus.Resync.LOADING, 2L, "job-1");

        assertThat(derive("cdc", requested, job("RUNNING", "FINISHED"))).isEqualTo(LifecycleState.SNAPSHOT);
        assertThat(derive("cdc", loading, job("RUNNING", "RUNNING"))).isEqualTo(LifecycleState.SNAPSHOT);
        assertThat(derive("cdc", loading, job("RUNNING", "FINISHED"))).isEqualTo(LifecycleState.RESYNC);
    }

    @Test
    void aResyncClearsAFailure() {
        PipeStatus failed = SUBMITTED.failedBecause("history lost");

        assertThat(derive("cdc", failed.resyncRequested(), job("CANCELED", "FINISHED")))
            .isEqualTo(LifecycleState.SNAPSHOT);
    }

    @Test
    void aFailedJobIsFailedWithItsCause() {
        StateDerivation.Derived derived = StateDerivation.derive(request("cdc"), SUBMITTED, job("FAILED", "FINISHED"));
        assertThat(derived.state()).isEqualTo(LifecycleState.FAILED);
        assertThat(derived.reason()).contains("boom").contains("resync");
    }

    @Test
    void aJobFlinkNoLongerKnowsIsRestoredAsRunningOnceItsSnapshotWasDone() {
        PipeStatus running = SUBMITTED.snapshotCompleted().withState(LifecycleState.RUNNING, "replicating changes");

        StateDerivation.Derived derived = StateDerivation.derive(request("cdc"), running,
            StateDerivation.Observation.none());

        assertThat(derived.state()).isEqualTo(LifecycleState.RUNNING);
        assertThat(derived.reason()).isEqualTo(StateDerivation.RESTORING);
    }

    @Test
    void aFailureRecordedByTheControllerWinsOverEverything() {
        assertThat(derive("cdc", SUBMITTED.failedBecause("tables could not be created"), job("RUNNING", "FINISHED")))
            .isEqualTo(LifecycleState.FAILED);
    }

    @Test
    void tablesAddedToAStoppedJobAreSetUpBeforeItStartsAgain() {
        PipeStatus added = SUBMITTED.snapshotCompleted().withTables(new PipeStatus.TableSnapshots(Map.of(),
            List.of("customers"), List.of()));

        assertThat(derive("cdc", added, job("FINISHED", "FINISHED"))).isEqualTo(LifecycleState.SETUP);
    }

    @Test
    void aTableResyncLoadingIsSnapshotNamingTheTable() {
        PipeStatus loading = SUBMITTED.withTables(new PipeStatus.TableSnapshots(Map.of("orders",
            new PipeStatus.TableSnapshot(7, 2L, PipeStatus.TableResync.LOADING)), List.of(), List.of()));

        StateDerivation.Derived derived = StateDerivation.derive(request("cdc"), loading, job("RUNNING", "RUNNING"));

        assertThat(derived.state()).isEqualTo(LifecycleState.SNAPSHOT);
        assertThat(derived.reason()).startsWith("resync of orders: loading into the _resync table");
    }

    @Test
    void aLoadedTableResyncStopsTheJobAsModifyingToSwapTheTableIn() {
        PipeStatus loaded = SUBMITTED.snapshotCompleted().withTables(new PipeStatus.TableSnapshots(Map.of("orders",
            new PipeStatus.TableSnapshot(7, 2L, PipeStatus.TableResync.LOADED)), List.of(), List.of()))
            .withPause(PipeStatus.Pause.requested(true));

        StateDerivation.Derived derived = StateDerivation.derive(request("cdc"), loaded, job("RUNNING", "FINISHED"));

        assertThat(derived.state()).isEqualTo(LifecycleState.MODIFYING);
        assertThat(derived.reason()).contains("resync of orders: loaded");
    }

    private static StateDerivation.Observation runningWith(java.util.OptionalLong lagSeconds, long lastCheckpointMillis,
                                                           long observedAtMillis) {
        FlinkJobStatus.Health health = new FlinkJobStatus.Health(0, null, "", lastCheckpointMillis);
        return new StateDerivation.Observation(Optional.of(new FlinkJobStatus("job-1", "RUNNING", 1_000,
            List.of(new FlinkJobStatus.Vertex("v1", "Source: Snapshot orders", "FINISHED", 0)), health)), null,
            lagSeconds, observedAtMillis, Map.of());
    }

    @Test
    void aChangeStreamLaggingMoreThanTheThresholdIsDegradedWithTheLagInTheReason() {
        StateDerivation.Derived derived = StateDerivation.derive(request("cdc"), SUBMITTED.snapshotCompleted(),
            runningWith(java.util.OptionalLong.of(301), 60_000, 61_000));

        assertThat(derived.state()).isEqualTo(LifecycleState.DEGRADED);
        assertThat(derived.reason()).contains("301 s behind").contains("lagThresholdSeconds (300 s)");
    }

    @Test
    void aChangeStreamWithinTheThresholdIsRunning() {
        assertThat(derive("cdc", SUBMITTED.snapshotCompleted(), runningWith(java.util.OptionalLong.of(300), 60_000,
            61_000))).isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void aRunningJobWithoutACheckpointForFiveMinutesIsDegraded() {
        long lastCheckpoint = 60_000;
        StateDerivation.Derived stale = StateDerivation.derive(request("cdc"), SUBMITTED.snapshotCompleted(),
            runningWith(java.util.OptionalLong.of(1), lastCheckpoint, lastCheckpoint + 5 * 60_000 + 1));
        StateDerivation.Derived fresh = StateDerivation.derive(request("cdc"), SUBMITTED.snapshotCompleted(),
            runningWith(java.util.OptionalLong.of(1), lastCheckpoint, lastCheckpoint + 5 * 60_000));

        assertThat(stale.state()).isEqualTo(LifecycleState.DEGRADED);
        assertThat(stale.reason()).startsWith("no checkpoint has completed for 5 minutes");
        assertThat(fresh.state()).isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void aCollectionDroppedUnderThePipeIsDegradedNamingItAndWhatToDo() {
        PipeStatus dropped = SUBMITTED.snapshotCompleted().withSourcesGone(Map.of("orders", "dropped"));

        StateDerivation.Derived derived = StateDerivation.derive(request("cdc"), dropped, job("RUNNING", "FINISHED"));

        assertThat(derived.state()).isEqualTo(LifecycleState.DEGRADED);
        assertThat(derived.reason()).startsWith("collection shop.orders (table orders) was dropped")
            .contains("removeTableMappings").contains("/resync");
    }

    @Test
    void aTableRemovedOrResyncedNoLongerDegradesThePipe() {
        PipeStatus cleared = SUBMITTED.snapshotCompleted().withSourcesGone(Map.of("orders", "renamed"))
            .withoutSourceGone(List.of("orders"));

        assertThat(derive("cdc", cleared, job("RUNNING", "FINISHED"))).isEqualTo(LifecycleState.RUNNING);
    }
}
