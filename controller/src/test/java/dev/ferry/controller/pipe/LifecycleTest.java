package dev.ferry.controller.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.execution.ExecutionState;
import org.junit.jupiter.api.Test;

import dev.ferry.common.PipeFailure;
import dev.ferry.controller.flink.FlinkJob;
import dev.ferry.controller.testing.PipeFixtures;

/** The lifecycle state follows from the spec, the status and the observed job, and shows the user's intent at once. */
class LifecycleTest {

    private static final PipeSpec SPEC = PipeFixtures.spec();
    private static final PipeStatus DEPLOYED = PipeStatus.initial().toBuilder().phase(Phase.DEPLOYED).jobId("job-1")
        .setup(new PipeStatus.Setup(1L, "String", "18.16"))
        .tables(Map.of("orders", PipeStatus.TableState.toLoad(0, 0, null, 0, 10, true, 1)))
        .reconciled(SPEC).build();
    private static final PipeStatus LOADED = DEPLOYED.toBuilder().snapshotDone(true).build();

    private static FlinkJob job(JobStatus state, ExecutionState snapshot, FlinkJob.Health health) {
        return new FlinkJob("job-1", state, 1_000, List.of(
            new FlinkJob.Vertex("v1", "Source: Snapshot -> ClickHouse snapshot: Writer", snapshot, 0)), health);
    }

    private static Optional<JobObservation> seen(JobStatus state, ExecutionState snapshot) {
        return seen(job(state, snapshot, FlinkJob.Health.UNKNOWN));
    }

    private static Optional<JobObservation> seen(FlinkJob job) {
        return Optional.of(JobObservation.of(job, 2_000));
    }

    private static Lifecycle.Derived derive(PipeSpec spec, PipeStatus status, Optional<JobObservation> observation) {
        return Lifecycle.derive(spec, status, observation, OptionalDouble.empty());
    }

    private static LifecycleState state(PipeSpec spec, PipeStatus status, Optional<JobObservation> observation) {
        return derive(spec, status, observation).state();
    }

    @Test
    void aNewPipeIsProvisioningThenSetup() {
        assertThat(state(SPEC, PipeStatus.initial(), Optional.empty())).isEqualTo(LifecycleState.PROVISIONING);
        assertThat(state(SPEC, PipeStatus.initial().toBuilder().phase(Phase.PROVISIONED).build(), Optional.empty()))
            .isEqualTo(LifecycleState.SETUP);
    }

    @Test
    void aPipePausedBeforeItsJobStartedIsPaused() {
        assertThat(derive(SPEC.paused(), PipeStatus.initial(), Optional.empty()))
            .isEqualTo(new Lifecycle.Derived(LifecycleState.PAUSED, "paused before its job started; resume starts it"));
    }

    @Test
    void aJobLoadingItsSnapshotIsSnapshotAndRunningOnceLoaded() {
        assertThat(state(SPEC, DEPLOYED, seen(JobStatus.RUNNING, ExecutionState.RUNNING)))
            .isEqualTo(LifecycleState.SNAPSHOT);
        assertThat(state(SPEC, DEPLOYED, seen(JobStatus.RUNNING, ExecutionState.FINISHED)))
            .isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void aPipeWhoseSnapshotWasDoneStaysRunningWhileARestoredJobStarts() {
        assertThat(state(SPEC, LOADED, seen(JobStatus.INITIALIZING, ExecutionState.CREATED)))
            .isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void anObservationOfAnotherJobDoesNotCount() {
        Optional<JobObservation> ofTheOldJob = Optional.of(JobObservation.of(new FlinkJob("job-0", JobStatus.FAILED,
            1_000, List.of(), FlinkJob.Health.UNKNOWN), 2_000));

        assertThat(state(SPEC, LOADED, ofTheOldJob)).isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void cdcOnlyPipesAreRunningWithoutASnapshot() {
        PipeSpec cdcOnly = PipeFixtures.spec(new PipeSettings(PipeSettings.ReplicationMode.CDC_ONLY, 60, 100, 2, 100_000, 2,
            PipeSettings.DocColumnType.AUTO, 300, PipeSettings.OnSourceGone.DEGRADED, AlertSettings.NONE, List.of(),
            PipeSettings.FullDocumentMode.UPDATE_LOOKUP));
        FlinkJob streaming = new FlinkJob("job-1", JobStatus.RUNNING, 1_000, List.of(), FlinkJob.Health.UNKNOWN);

        assertThat(state(cdcOnly, DEPLOYED.toBuilder().reconciled(cdcOnly).build(), seen(streaming)))
            .isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void aPauseAskedIsPausingAtOnceAndPausedOnceTheJobStoppedAtItsSavepoint() {
        PipeStatus stopping = LOADED.toBuilder().phase(Phase.STOPPING).stop(PipeStatus.Stop.first("t", 0)).build();
        PipeStatus stopped = LOADED.toBuilder().phase(Phase.SUSPENDED).resumeFrom("file:///sp/savepoint-1").build();

        assertThat(state(SPEC.paused(), LOADED, seen(JobStatus.RUNNING, ExecutionState.FINISHED)))
            .isEqualTo(LifecycleState.PAUSING);
        assertThat(state(SPEC.paused(), stopping, seen(JobStatus.RUNNING, ExecutionState.FINISHED)))
            .isEqualTo(LifecycleState.PAUSING);
        assertThat(derive(SPEC.paused(), stopped, Optional.empty())).isEqualTo(new Lifecycle.Derived(
            LifecycleState.PAUSED, "paused; resume continues from file:///sp/savepoint-1"));
    }

    @Test
    void aResumedPipeIsRunningAtOnceWhileItsJobStartsFromTheSavepoint() {
        PipeSpec paused = SPEC.paused();
        PipeStatus stopped = LOADED.toBuilder().phase(Phase.SUSPENDED).resumeFrom("file:///sp/savepoint-1")
            .reconciled(paused).build();

        Lifecycle.Derived resumed = derive(paused.resumed(), stopped, Optional.empty());

        assertThat(resumed.state()).isEqualTo(LifecycleState.RUNNING);
        assertThat(resumed.reason()).isEqualTo("resuming: starting the job from file:///sp/savepoint-1");
    }

    @Test
    void aChangeOfTablesIsModifyingAtOnceThenSetupWhileTheNewTableIsCreated() {
        PipeSpec added = SPEC.withTableMappings(List.of(SPEC.tableMappings().get(0),
            new TableMapping("shop", "customers", "customers")));
        PipeStatus stopped = LOADED.toBuilder().phase(Phase.SUSPENDED).resumeFrom("file:///sp/savepoint-2").build();

        Lifecycle.Derived asked = derive(added, LOADED, seen(JobStatus.RUNNING, ExecutionState.FINISHED));
        assertThat(asked.state()).isEqualTo(LifecycleState.MODIFYING);
        assertThat(asked.reason()).contains("adding customers");
        assertThat(state(added, stopped, Optional.empty())).isEqualTo(LifecycleState.SETUP);
    }

    @Test
    void newSettingsTheJobReadsAreModifyingUntilItRunsAgain() {
        PipeSpec faster = SPEC.withSettings(new PipeSettings(PipeSettings.ReplicationMode.CDC, 5, 100_000, 2, 100_000, 2,
            PipeSettings.DocColumnType.AUTO, 300, PipeSettings.OnSourceGone.DEGRADED, AlertSettings.NONE, List.of(),
            PipeSettings.FullDocumentMode.UPDATE_LOOKUP));
        PipeStatus stopped = LOADED.toBuilder().phase(Phase.SUSPENDED).resumeFrom("file:///sp/savepoint-2").build();

        assertThat(state(faster, LOADED, seen(JobStatus.RUNNING, ExecutionState.FINISHED)))
            .isEqualTo(LifecycleState.MODIFYING);
        assertThat(derive(faster, stopped, Optional.empty()).reason()).contains("new settings")
            .contains("starting the job again from file:///sp/savepoint-2");
    }

    @Test
    void aJobThatFailedSinceItsLastCheckpointOrRestartsIsDegraded() {
        FlinkJob.Health failing = new FlinkJob.Health(2_000, "MongoTimeoutException", null, 1_000, null);

        assertThat(state(SPEC, LOADED, seen(job(JobStatus.RUNNING, ExecutionState.FINISHED, failing))))
            .isEqualTo(LifecycleState.DEGRADED);
        assertThat(state(SPEC, LOADED, seen(JobStatus.RESTARTING, ExecutionState.FINISHED)))
            .isEqualTo(LifecycleState.DEGRADED);
    }

    @Test
    void aJobThatCheckpointedAfterItsLastFailureIsRunningAgain() {
        FlinkJob.Health recovered = new FlinkJob.Health(2_000, "MongoTimeoutException", null, 3_000, "file:///c");

        assertThat(state(SPEC, LOADED, seen(job(JobStatus.RUNNING, ExecutionState.FINISHED, recovered))))
            .isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void aLostResumePointIsFailedNotDegraded() {
        FlinkJob.Health lost = new FlinkJob.Health(2_000, "PipeFailureException: CHANGE_STREAM_HISTORY_LOST",
            PipeFailure.CHANGE_STREAM_HISTORY_LOST, 1_000, null);

        Lifecycle.Derived derived = derive(SPEC, LOADED, seen(job(JobStatus.RESTARTING, ExecutionState.FINISHED, lost)));

        assertThat(derived.state()).isEqualTo(LifecycleState.FAILED);
        assertThat(derived.reason()).contains("ChangeStreamHistoryLost").contains("resync");
    }

    @Test
    void aDestinationTableGoneUnderAFailingJobIsFailedNotDegraded() {
        JobObservation observation = JobObservation.of(job(JobStatus.RESTARTING, ExecutionState.FINISHED,
                FlinkJob.Health.UNKNOWN), 2_000)
            .withSignals(Map.of(), List.of("orders"));

        Lifecycle.Derived derived = derive(SPEC, LOADED, Optional.of(observation));

        assertThat(derived.state()).isEqualTo(LifecycleState.FAILED);
        assertThat(derived.reason()).contains("destination table orders is gone").contains("resync");
    }

    @Test
    void aJobFlinkGaveUpOnIsFailedWithItsCauseAndOneCancelledOutsideFerryToo() {
        FlinkJob.Health failed = new FlinkJob.Health(2_000, "java.net.ConnectException: refused", null, 1_000, null);

        assertThat(derive(SPEC, LOADED, seen(job(JobStatus.FAILED, ExecutionState.FINISHED, failed))).reason())
            .contains("refused").contains("resync");
        assertThat(state(SPEC, LOADED, seen(JobStatus.CANCELED, ExecutionState.FINISHED)))
            .isEqualTo(LifecycleState.FAILED);
    }

    @Test
    void aResyncAskedIsSnapshotAtOnceThenSnapshotWhileLoadingAndResyncOnceLoaded() {
        PipeStatus loading = LOADED.toBuilder().resync(PipeStatus.WholeResync.LOADING).reconciled(SPEC.resynced())
            .resyncNonce(1).build();

        assertThat(state(SPEC.resynced(), LOADED, seen(JobStatus.RUNNING, ExecutionState.FINISHED)))
            .isEqualTo(LifecycleState.SNAPSHOT);
        assertThat(state(SPEC.resynced(), loading, seen(JobStatus.RUNNING, ExecutionState.RUNNING)))
            .isEqualTo(LifecycleState.SNAPSHOT);
        assertThat(state(SPEC.resynced(), loading, seen(JobStatus.RUNNING, ExecutionState.FINISHED)))
            .isEqualTo(LifecycleState.RESYNC);
    }

    @Test
    void aFailureRecordedWinsOverEverythingUntilAResyncIsAsked() {
        PipeStatus failed = LOADED.toBuilder().failure("tables could not be created").build();
        PipeStatus failedInSetup = PipeStatus.initial().toBuilder().phase(Phase.PROVISIONED).failure("refused").build();

        assertThat(state(SPEC, failed, seen(JobStatus.RUNNING, ExecutionState.FINISHED)))
            .isEqualTo(LifecycleState.FAILED);
        assertThat(state(SPEC.resynced(), failed, Optional.empty())).isEqualTo(LifecycleState.SNAPSHOT);
        assertThat(state(SPEC.resynced(), failedInSetup, Optional.empty())).isEqualTo(LifecycleState.SETUP);
    }

    @Test
    void aJobTheClusterNoLongerKnowsIsRunningWhileItIsRestoredOnceItsSnapshotWasDone() {
        Lifecycle.Derived derived = derive(SPEC, LOADED, Optional.of(JobObservation.lostAt("job-1", 2_000)));

        assertThat(derived.state()).isEqualTo(LifecycleState.RUNNING);
        assertThat(derived.reason()).contains("no longer knows the job");
    }

    @Test
    void aTableResyncLoadingIsSnapshotNamingTheTableAndModifyingOnceLoaded() {
        PipeSpec resynced = SPEC.withTableResynced("orders");
        PipeStatus loading = LOADED.toBuilder().snapshotDone(false).tables(Map.of("orders",
            PipeStatus.TableState.toLoad(7, 2L, PipeStatus.TableResync.LOADING, 1, 10, true, 2))).reconciled(resynced)
            .build();

        Lifecycle.Derived derived = derive(resynced, loading, seen(JobStatus.RUNNING, ExecutionState.RUNNING));
        assertThat(derived.state()).isEqualTo(LifecycleState.SNAPSHOT);
        assertThat(derived.reason()).startsWith("resync of orders: loading into the _resync table");
        assertThat(derive(resynced, loading.toBuilder().snapshotDone(true).build(),
            seen(JobStatus.RUNNING, ExecutionState.FINISHED)).reason()).startsWith("resync of orders: loaded");
    }

    private static Optional<JobObservation> runningWith(long lastCheckpointMillis, long observedAtMillis) {
        FlinkJob job = job(JobStatus.RUNNING, ExecutionState.FINISHED, new FlinkJob.Health(0, null, null,
            lastCheckpointMillis, "file:///chk"));
        return Optional.of(new JobObservation("job-1", job, Map.of(), List.of(), observedAtMillis));
    }

    @Test
    void clickHouseFurtherBehindThanTheThresholdIsDegradedWithTheLagInTheReason() {
        Lifecycle.Derived derived = Lifecycle.derive(SPEC, LOADED, runningWith(60_000, 61_000),
            OptionalDouble.of(300.6));

        assertThat(derived.state()).isEqualTo(LifecycleState.DEGRADED);
        assertThat(derived.problem()).isEqualTo(Problem.LAGGING);
        assertThat(derived.reason()).contains("301 s behind").contains("lagThresholdSeconds (300 s)");
        assertThat(Lifecycle.derive(SPEC, LOADED, runningWith(60_000, 61_000), OptionalDouble.of(300)).state())
            .isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void aRunningJobWithoutACheckpointForFiveMinutesIsDegraded() {
        long lastCheckpoint = 60_000;
        Lifecycle.Derived stale = derive(SPEC, LOADED, runningWith(lastCheckpoint, lastCheckpoint + 5 * 60_000 + 1));

        assertThat(stale.state()).isEqualTo(LifecycleState.DEGRADED);
        assertThat(stale.problem()).isEqualTo(Problem.CHECKPOINTS_STALLED);
        assertThat(stale.reason()).startsWith("no checkpoint has completed for 5 minutes");
        assertThat(state(SPEC, LOADED, runningWith(lastCheckpoint, lastCheckpoint + 5 * 60_000)))
            .isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void aJobThatSyncsOnceAnHourIsNotStaleForWantOfCheckpointsWithinTheHour() {
        PipeSpec hourly = SPEC.withSettings(new PipeSettings(PipeSettings.ReplicationMode.CDC, 3600, 100_000, 2,
            100_000, 2, PipeSettings.DocColumnType.AUTO, 300, PipeSettings.OnSourceGone.DEGRADED, AlertSettings.NONE,
            List.of(), PipeSettings.FullDocumentMode.UPDATE_LOOKUP));
        PipeStatus status = LOADED.toBuilder().reconciled(hourly).build();

        assertThat(Lifecycle.derive(hourly, status, runningWith(60_000, 60_000 + 2 * 3_600_000),
            OptionalDouble.empty()).state()).isEqualTo(LifecycleState.RUNNING);
        assertThat(Lifecycle.derive(hourly, status, runningWith(60_000, 60_000 + 3 * 3_600_000 + 1),
            OptionalDouble.empty()).state()).isEqualTo(LifecycleState.DEGRADED);
    }

    @Test
    void aCollectionDroppedUnderThePipeIsDegradedNamingItAndWhatToDo() {
        PipeStatus dropped = LOADED.toBuilder().sourcesGone(Map.of("orders", SourceGone.DROPPED)).build();

        Lifecycle.Derived derived = derive(SPEC, dropped, seen(JobStatus.RUNNING, ExecutionState.FINISHED));

        assertThat(derived.state()).isEqualTo(LifecycleState.DEGRADED);
        assertThat(derived.reason()).startsWith("collection shop.orders (table orders) was dropped")
            .contains("removeTableMappings").contains("/resync");
    }

    @Test
    void aStepWaitingToBeTriedAgainSaysWhyAndWhen() {
        PipeStatus waiting = PipeStatus.initial().toBuilder().phase(Phase.PROVISIONED)
            .retry(new PipeStatus.Retry("cannot reach ClickHouse", 2, 60_000, 1)).build();

        assertThat(derive(SPEC, waiting, Optional.empty()).reason()).isEqualTo("creating the ClickHouse tables and "
            + "capturing the change stream's start (attempt 2 failed: cannot reach ClickHouse; trying again at "
            + "1970-01-01T00:01:00Z)");
    }

    @Test
    void aSnapshotPipeWhoseLoadFinishedIsCompleted() {
        PipeSpec snapshotOnly = PipeFixtures.spec(new PipeSettings(PipeSettings.ReplicationMode.SNAPSHOT, 60, 100, 2, 100_000, 2,
            PipeSettings.DocColumnType.AUTO, 300, PipeSettings.OnSourceGone.DEGRADED, AlertSettings.NONE, List.of(),
            PipeSettings.FullDocumentMode.UPDATE_LOOKUP));

        PipeStatus deployed = DEPLOYED.toBuilder().reconciled(snapshotOnly).build();

        assertThat(state(snapshotOnly, deployed, seen(JobStatus.FINISHED, ExecutionState.FINISHED)))
            .isEqualTo(LifecycleState.COMPLETED);
        assertThat(state(snapshotOnly, deployed.toBuilder().snapshotDone(true).build(),
            Optional.of(JobObservation.lostAt("job-1", 2_000))))
            .as("long after, when the cluster has forgotten the job").isEqualTo(LifecycleState.COMPLETED);
    }
}
