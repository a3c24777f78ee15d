package dev.ferry.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.common.PipeFailure;
import dev.ferry.controller.flink.SavepointProgress;
import dev.ferry.controller.pipe.LifecycleState;
import dev.ferry.controller.pipe.Phase;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.UserAction;
import dev.ferry.controller.testing.ControllerLogic;
import dev.ferry.controller.testing.FakeConnections.FakeDestination;
import dev.ferry.controller.testing.FakeFlinkService;

/**
 * Every transition of the reconciler, with a fake Flink cluster and fake servers: what it does on each step, and
 * the state the pipe shows before and after.
 */
class ReconcilerTest {

    private static final String SETTINGS = "{\"syncIntervalSeconds\": 1}";

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

    private Pipe act(String id, String action) {
        return logic.service.act(id, UserAction.ofStateRequest(action));
    }

    @Test
    void aNewPipeIsProvisionedThenSetUpThenLoadedThenRunning() {
        Pipe created = logic.create("shop", SETTINGS);
        assertThat(created.state()).isEqualTo(LifecycleState.PROVISIONING);

        Pipe provisioned = logic.step(created.id());
        assertThat(provisioned.state()).isEqualTo(LifecycleState.SETUP);
        assertThat(logic.flink.prepared()).isEqualTo(1);

        Pipe submitted = logic.step(created.id());
        assertThat(submitted.status().phase()).isEqualTo(Phase.DEPLOYED);
        assertThat(logic.servers.destination.tables).containsExactly("orders");
        assertThat(logic.flink.submissions).singleElement().satisfies(submission -> {
            assertThat(submission.jobId()).isEqualTo(submitted.status().jobId());
            assertThat(submission.restoreFrom()).isEmpty();
        });
        assertThat(submitted.status().observedGeneration()).isEqualTo(submitted.spec().generation());
        assertThat(logic.step(created.id()).state()).isEqualTo(LifecycleState.SNAPSHOT);

        logic.flink.lastJob().finishSnapshots();
        Pipe running = logic.step(created.id());
        assertThat(running.state()).isEqualTo(LifecycleState.RUNNING);
        assertThat(running.status().snapshotDone()).isTrue();
    }

    @Test
    void aPauseAskedRightAfterCreationEndsPausedWithoutStartingTheJobAndResumeStartsIt() {
        String id = logic.create("shop", SETTINGS).id();

        Pipe pausing = act(id, "pause");
        assertThat(pausing.state()).isEqualTo(LifecycleState.PAUSED);
        assertThat(logic.stepUntil(id, "Paused", 3).status().phase()).isEqualTo(Phase.NEW);
        assertThat(logic.flink.submissions).isEmpty();
        assertThat(logic.flink.prepared()).isZero();

        Pipe resumed = act(id, "resume");
        assertThat(resumed.state()).isEqualTo(LifecycleState.PROVISIONING);
        logic.stepUntil(id, "Snapshot", 4);
        assertThat(logic.flink.submissions).hasSize(1);
    }

    @Test
    void aPauseAskedDuringSetupEndsPausedWithoutStartingTheJob() {
        String id = logic.create("shop", SETTINGS).id();
        assertThat(logic.step(id).state()).isEqualTo(LifecycleState.SETUP);

        assertThat(act(id, "pause").state()).isEqualTo(LifecycleState.PAUSED);
        logic.stepUntil(id, "Paused", 3);

        assertThat(logic.flink.submissions).isEmpty();
        assertThat(logic.servers.destination.tables).isEmpty();
    }

    @Test
    void aPauseStopsTheJobWithASavepointAndResumeStartsItFromThere() {
        String id = logic.running("shop", SETTINGS).id();

        Pipe pausing = act(id, "pause");
        assertThat(pausing.state()).isEqualTo(LifecycleState.PAUSING);
        assertThat(pausing.status().observedGeneration()).isLessThan(pausing.spec().generation());
        Pipe paused = logic.stepUntil(id, "Paused", 4);
        assertThat(paused.status().resumeFrom()).isEqualTo("file:///savepoints/savepoint-1");
        assertThat(paused.stateReason()).contains("savepoint-1");

        Pipe resumed = act(id, "resume");
        assertThat(resumed.state()).isEqualTo(LifecycleState.RUNNING);
        assertThat(resumed.stateReason()).startsWith("resuming");
        logic.stepUntil(id, "Running", 3);
        assertThat(logic.flink.submissions.get(1).restoreFrom()).contains("file:///savepoints/savepoint-1");
    }

    @Test
    void aSavepointRefusedWhileTasksDeployIsTriedAgainAfterAGrowingPauseUntilItIsTaken() {
        String id = logic.create("shop", SETTINGS).id();
        logic.stepUntil(id, "Snapshot", 4);
        logic.flink.retainedCheckpoints.put(logic.flink.lastJob().id, "file:///checkpoints/chk-1");
        logic.flink.nextStops(new SavepointProgress.Failed("Not all required tasks are currently running", true));
        act(id, "pause");

        Pipe triggered = logic.step(id);
        assertThat(triggered.state()).isEqualTo(LifecycleState.PAUSING);
        Pipe failed = logic.step(id);
        assertThat(failed.state()).isEqualTo(LifecycleState.PAUSING);
        assertThat(failed.status().retry().attempts()).isEqualTo(1);
        assertThat(failed.stateReason()).contains("Not all required tasks are currently running");

        logic.clock.advance(Duration.ofMillis(500));
        assertThat(logic.reconciler.isDue(failed)).as("not due before its pause is over").isFalse();
        logic.clock.advance(Duration.ofSeconds(1));
        assertThat(logic.reconciler.isDue(failed)).isTrue();
        Pipe paused = logic.stepUntil(id, "Paused", 4);

        assertThat(logic.flink.triggers).hasSize(2);
        assertThat(paused.status().resumeFrom()).startsWith("file:///savepoints/");
        assertThat(logic.flink.cancelled).as("no fallback to the checkpoint").isEmpty();
    }

    @Test
    void aStopRefusedBecauseTheJobIsRestartingIsTriedAgainOnceItRuns() {
        String id = logic.running("shop", SETTINGS).id();
        logic.flink.refuseStops(true);
        act(id, "pause");
        Pipe refused = logic.step(id);
        assertThat(refused.state()).isEqualTo(LifecycleState.PAUSING);
        assertThat(refused.status().retry()).isNotNull();

        logic.flink.refuseStops(false);
        logic.clock.advance(Duration.ofSeconds(1));

        assertThat(logic.stepUntil(id, "Paused", 4).status().resumeFrom()).startsWith("file:///savepoints/");
    }

    @Test
    void aSavepointFlinkCannotWriteFallsBackToTheNewestRetainedCheckpoint() {
        String id = logic.running("shop", SETTINGS).id();
        String job = logic.flink.lastJob().id;
        logic.flink.retainedCheckpoints.put(job, "file:///checkpoints/" + job + "/chk-7");
        logic.flink.nextStops(new SavepointProgress.Failed("the savepoint directory cannot be written", false));
        act(id, "pause");

        Pipe paused = logic.stepUntil(id, "Paused", 4);

        assertThat(paused.status().resumeFrom()).endsWith("/chk-7");
        assertThat(paused.stateReason()).contains("stopped at the newest checkpoint");
        assertThat(logic.flink.cancelled).containsExactly(job);
    }

    @Test
    void savepointsFailingForTwoMinutesFallBackToTheNewestCheckpoint() {
        String id = logic.running("shop", SETTINGS).id();
        logic.flink.lastJob().checkpointed("file:///checkpoints/chk-3", 5_000);
        SavepointProgress declined = new SavepointProgress.Failed("checkpoint declined", true);
        logic.flink.nextStops(declined, declined, declined, declined, declined, declined, declined, declined);
        act(id, "pause");

        for (int i = 0; i < 8 && logic.service.get(id).state() == LifecycleState.PAUSING; i++) {
            logic.step(id);
            logic.step(id);
            logic.clock.advance(Duration.ofSeconds(30));
        }

        Pipe paused = logic.service.get(id);
        assertThat(paused.state()).isEqualTo(LifecycleState.PAUSED);
        assertThat(paused.status().resumeFrom()).isEqualTo("file:///checkpoints/chk-3");
    }

    @Test
    void withoutACheckpointToFallBackToAPauseKeepsTryingAndNeverGivesUp() {
        String id = logic.running("shop", SETTINGS).id();
        SavepointProgress failed = new SavepointProgress.Failed("the savepoint directory cannot be written", false);
        logic.flink.nextStops(failed, failed, failed, failed, failed);
        act(id, "pause");

        for (int i = 0; i < 5; i++) {
            logic.step(id);
            logic.step(id);
            logic.clock.advance(Duration.ofMinutes(1));
        }
        assertThat(logic.service.get(id).state()).isEqualTo(LifecycleState.PAUSING);

        assertThat(logic.stepUntil(id, "Paused", 4).status().resumeFrom()).startsWith("file:///savepoints/");
    }

    @Test
    void aJobThatEndsBeforeItsSavepointStopsAtItsNewestCheckpoint() {
        String id = logic.running("shop", SETTINGS).id();
        FakeFlinkService.Job job = logic.flink.lastJob();
        job.checkpointed("file:///checkpoints/chk-9", 9_000);
        logic.flink.nextStops(new SavepointProgress.Pending());
        act(id, "pause");
        logic.step(id);
        job.state = JobStatus.CANCELED;

        Pipe paused = logic.stepUntil(id, "Paused", 3);

        assertThat(paused.status().resumeFrom()).isEqualTo("file:///checkpoints/chk-9");
        assertThat(paused.stateReason()).contains("stopped before its savepoint was taken");
    }

    @Test
    void aControllerThatDiedAfterRecordingItsTriggerSendsTheSameTriggerAgain() {
        String id = logic.running("shop", SETTINGS).id();
        act(id, "pause");
        logic.flink.dieOnNextStop();
        Pipe unsent = logic.step(id);
        assertThat(unsent.status().phase()).isEqualTo(Phase.STOPPING);
        String trigger = unsent.status().stop().triggerId();
        logic.clock.advance(Duration.ofSeconds(1));

        logic.stepUntil(id, "Paused", 4);

        assertThat(logic.flink.triggers).containsExactly(trigger);
    }

    @Test
    void addingATableIsModifyingThenSetupThenSnapshotWhileTheOthersGoOnFromTheSavepoint() {
        String id = logic.running("shop", SETTINGS).id();

        Pipe modifying = logic.service.modifyTables(id, logic.body("""
            {"addTableMappings": [{"sourceDatabaseName": "shop", "sourceCollection": "customers"}]}"""));
        assertThat(modifying.state()).isEqualTo(LifecycleState.MODIFYING);
        assertThat(modifying.stateReason()).contains("adding customers");

        assertThat(logic.step(id).state()).isEqualTo(LifecycleState.MODIFYING);
        assertThat(logic.step(id).state()).as("stopped; the new table is created next").isEqualTo(LifecycleState.SETUP);
        logic.step(id);
        assertThat(logic.servers.destination.tables).contains("customers");
        Pipe loading = logic.step(id);
        assertThat(loading.state()).isEqualTo(LifecycleState.SNAPSHOT);
        assertThat(loading.status().observedGeneration()).isEqualTo(loading.spec().generation());
        FakeFlinkService.Submission restarted = logic.flink.submissions.get(1);
        assertThat(restarted.restoreFrom()).contains("file:///savepoints/savepoint-1");
        assertThat(restarted.spec().tables()).extracting(table -> table.table() + "/" + (table.generation() > 0))
            .containsExactly("orders/false", "customers/true");

        logic.flink.lastJob().finishSnapshots();
        assertThat(logic.step(id).state()).isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void newSettingsTheJobReadsRestartItFromASavepoint() {
        String id = logic.running("shop", SETTINGS).id();

        Pipe modifying = logic.service.updateSettings(id, settings("{\"syncIntervalSeconds\": 5}"));
        assertThat(modifying.state()).isEqualTo(LifecycleState.MODIFYING);

        logic.stepUntil(id, "Running", 6);
        assertThat(logic.flink.submissions).hasSize(2);
        assertThat(logic.flink.lastJob().spec.syncIntervalSeconds()).isEqualTo(5);
    }

    @Test
    void aNewLagThresholdAppliesWithoutARestart() {
        String id = logic.running("shop", SETTINGS).id();

        Pipe changed = logic.service.updateSettings(id, settings("{\"syncIntervalSeconds\": 1, "
            + "\"lagThresholdSeconds\": 30}"));
        assertThat(changed.state()).isEqualTo(LifecycleState.RUNNING);
        assertThat(changed.status().observedGeneration()).isLessThan(changed.spec().generation());

        Pipe applied = logic.step(id);
        assertThat(applied.status().observedGeneration()).isEqualTo(applied.spec().generation());
        assertThat(logic.flink.submissions).hasSize(1);
    }

    private static dev.ferry.controller.pipe.PipeSettings settings(String json) {
        try {
            return dev.ferry.controller.pipe.PipeSettings.parse(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTableResyncLoadsIntoItsResyncTableThenSwapsItIn() {
        String id = logic.running("shop", SETTINGS, "customers").id();

        Pipe asked = logic.service.resyncTable(id, "orders");
        assertThat(asked.state()).isEqualTo(LifecycleState.MODIFYING);
        Pipe loading = logic.stepUntil(id, "Snapshot", 5);
        assertThat(logic.servers.destination.tables).contains("orders_resync");
        assertThat(logic.flink.lastJob().spec.tables()).filteredOn(table -> table.table().equals("orders"))
            .singleElement().satisfies(table -> assertThat(table.suffix()).isEqualTo("_resync"));
        assertThat(loading.stateReason()).startsWith("resync of orders");

        logic.flink.lastJob().finishSnapshot("orders");
        assertThat(logic.step(id).state()).isEqualTo(LifecycleState.MODIFYING);
        Pipe running = logic.stepUntil(id, "Running", 5);

        assertThat(logic.servers.destination.swaps).containsExactly(java.util.List.of("orders"));
        assertThat(running.status().tables().get("orders").resync()).isNull();
        assertThat(logic.flink.lastJob().spec.tables()).allSatisfy(table -> assertThat(table.suffix()).isEmpty());
    }

    @Test
    void aResyncOfTheWholePipeLoadsAFreshSnapshotThenSwapsEveryTable() {
        String id = logic.running("shop", SETTINGS).id();
        String oldJob = logic.flink.lastJob().id;

        assertThat(act(id, "resync").state()).isEqualTo(LifecycleState.SNAPSHOT);
        Pipe loading = logic.step(id);
        assertThat(logic.flink.cancelled).contains(oldJob);
        assertThat(logic.flink.lastJob().spec.tableSuffix()).isEqualTo("_resync");
        assertThat(logic.flink.lastJob().spec.startAtOperationTime())
            .isGreaterThan(logic.flink.submissions.get(0).spec().startAtOperationTime());
        assertThat(loading.state()).isEqualTo(LifecycleState.SNAPSHOT);

        logic.flink.lastJob().finishSnapshots();
        assertThat(logic.step(id).state()).isEqualTo(LifecycleState.RESYNC);
        Pipe running = logic.stepUntil(id, "Running", 5);

        assertThat(logic.servers.destination.swaps).containsExactly(java.util.List.of("orders"));
        assertThat(logic.flink.lastJob().spec.tableSuffix()).isEmpty();
        assertThat(running.status().snapshotDone()).isTrue();
    }

    @Test
    void aServerThatDoesNotAnswerDuringSetupIsTriedAgainWithAGrowingPauseAndShown() {
        String id = logic.create("shop", SETTINGS).id();
        logic.step(id);
        logic.servers.destination.failWith(FakeDestination.unreachable());

        Pipe first = logic.step(id);
        assertThat(first.state()).isEqualTo(LifecycleState.SETUP);
        assertThat(first.stateReason()).contains("attempt 1 failed: cannot reach ClickHouse");
        logic.clock.advance(Duration.ofSeconds(1));
        Pipe second = logic.step(id);
        long pause = second.status().retry().nextAttemptMillis() - logic.clock.millis();
        assertThat(second.status().retry().attempts()).isEqualTo(2);
        assertThat(pause).isEqualTo(2_000);

        logic.servers.destination.failWith(null);
        logic.clock.advance(Duration.ofSeconds(2));
        Pipe submitted = logic.step(id);
        assertThat(submitted.status().phase()).isEqualTo(Phase.DEPLOYED);
        assertThat(submitted.status().retry()).isNull();
    }

    @Test
    void aPauseCutsShortTheWaitOfARetry() {
        String id = logic.create("shop", SETTINGS).id();
        logic.step(id);
        logic.servers.destination.failWith(FakeDestination.unreachable());
        for (int i = 0; i < 5; i++) {
            logic.step(id);
        }
        assertThat(logic.reconciler.isDue(logic.service.get(id))).as("waiting 16 s").isFalse();

        act(id, "pause");

        assertThat(logic.reconciler.isDue(logic.service.get(id))).isTrue();
    }

    @Test
    void refusedCredentialsDuringSetupFailThePipeAndAResyncStartsItAgainOnceFixed() {
        String id = logic.create("shop", SETTINGS).id();
        logic.step(id);
        logic.servers.destination.failWith(FakeDestination.refusedCredentials());

        Pipe failed = logic.step(id);
        assertThat(failed.state()).isEqualTo(LifecycleState.FAILED);
        assertThat(failed.stateReason()).contains("refused the credentials").contains("resync");

        logic.servers.destination.failWith(null);
        assertThat(act(id, "resync").state()).isEqualTo(LifecycleState.SETUP);
        logic.flink.submissions.clear();
        logic.stepUntil(id, "Snapshot", 5);
        assertThat(logic.flink.submissions).hasSize(1);
    }

    @Test
    void aJobTheClusterLostIsSubmittedAgainFromItsNewestCheckpoint() {
        String id = logic.running("shop", SETTINGS).id();
        String lost = logic.flink.lastJob().id;
        logic.flink.retainedCheckpoints.put(lost, "file:///checkpoints/" + lost + "/chk-4");
        logic.flink.forgetJobs();

        assertThat(logic.step(id).status().jobId()).as("not lost before it has been missing a while").isEqualTo(lost);
        logic.clock.advance(Duration.ofSeconds(10));
        Pipe restoring = logic.step(id);

        assertThat(restoring.status().jobId()).isNotEqualTo(lost);
        assertThat(logic.flink.lastJob().id).isEqualTo(restoring.status().jobId());
        assertThat(logic.flink.submissions.get(1).restoreFrom()).contains("file:///checkpoints/" + lost + "/chk-4");
        assertThat(logic.step(id).state()).isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void aJobFlinkGaveUpOnMakesThePipeFailedAndAResyncRecoversIt() {
        String id = logic.running("shop", SETTINGS).id();
        FakeFlinkService.Job job = logic.flink.lastJob();
        job.failing("java.net.ConnectException: Connection refused", null);
        job.state = JobStatus.FAILED;

        Pipe failed = logic.step(id);
        assertThat(failed.state()).isEqualTo(LifecycleState.FAILED);
        assertThat(failed.stateReason()).contains("Connection refused");

        assertThat(act(id, "resync").state()).isEqualTo(LifecycleState.SNAPSHOT);
        logic.step(id);
        logic.flink.lastJob().finishSnapshots();
        assertThat(logic.stepUntil(id, "Running", 6).status().failure()).isNull();
    }

    @Test
    void aLostResumePointFailsThePipeAtOnceAndCancelsItsJob() {
        String id = logic.running("shop", SETTINGS).id();
        FakeFlinkService.Job job = logic.flink.lastJob();
        job.failing("PipeFailureException: CHANGE_STREAM_HISTORY_LOST", PipeFailure.CHANGE_STREAM_HISTORY_LOST);
        job.state = JobStatus.RESTARTING;

        Pipe failed = logic.step(id);

        assertThat(failed.state()).isEqualTo(LifecycleState.FAILED);
        assertThat(failed.stateReason()).contains("ChangeStreamHistoryLost");
        assertThat(logic.flink.cancelled).containsExactly(job.id);
    }

    @Test
    void aDestinationTableDroppedUnderAFailingJobFailsThePipe() {
        String id = logic.running("shop", SETTINGS).id();
        logic.servers.destination.tables.remove("orders");
        logic.flink.lastJob().failing("java.sql.SQLException: Code: 60", null);

        Pipe failed = logic.step(id);

        assertThat(failed.state()).isEqualTo(LifecycleState.FAILED);
        assertThat(failed.stateReason()).contains("destination table orders is gone");
    }

    @Test
    void aJobFailingForAReasonThatPassesIsDegradedAndRunningOnceItCheckpoints() {
        String id = logic.running("shop", SETTINGS).id();
        FakeFlinkService.Job job = logic.flink.lastJob();
        job.failing("com.mongodb.MongoTimeoutException: timed out", null);
        job.state = JobStatus.RESTARTING;
        assertThat(logic.step(id).state()).isEqualTo(LifecycleState.DEGRADED);

        job.state = JobStatus.RUNNING;
        job.checkpointed("file:///checkpoints/chk-2", job.health.lastFailureMillis() + 1);

        assertThat(logic.step(id).state()).isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void aPauseAskedWhileTheJobRestartsEndsPausedOnceASavepointCanBeTaken() {
        String id = logic.running("shop", SETTINGS).id();
        FakeFlinkService.Job job = logic.flink.lastJob();
        job.failing("com.mongodb.MongoTimeoutException: timed out", null);
        job.state = JobStatus.RESTARTING;
        logic.flink.nextStops(new SavepointProgress.Failed("Not all required tasks are currently running", true));

        assertThat(act(id, "pause").state()).isEqualTo(LifecycleState.PAUSING);
        logic.step(id);
        logic.step(id);
        job.state = JobStatus.RUNNING;
        logic.clock.advance(Duration.ofSeconds(1));

        assertThat(logic.stepUntil(id, "Paused", 4).status().resumeFrom()).startsWith("file:///savepoints/");
    }

    @Test
    void aDeletedPipeIsForgottenAndItsJobCancelled() {
        String id = logic.running("shop", SETTINGS).id();
        String job = logic.flink.lastJob().id;

        logic.service.delete(id, false);

        assertThat(logic.catalog.find(id)).isEqualTo(Optional.empty());
        assertThat(logic.flink.cancelled).containsExactly(job);
        logic.reconciler.reconcile(id);
    }

    @Test
    void aPauseAskedWhileAChangeIsAppliedEndsPausedWithTheChangeAppliedOnResume() {
        String id = logic.running("shop", SETTINGS).id();
        logic.service.updateSettings(id, settings("{\"syncIntervalSeconds\": 5}"));
        assertThat(logic.step(id).state()).isEqualTo(LifecycleState.MODIFYING);

        assertThat(act(id, "pause").state()).isEqualTo(LifecycleState.PAUSING);
        Pipe paused = logic.stepUntil(id, "Paused", 6);
        assertThat(paused.status().observedGeneration()).isEqualTo(paused.spec().generation());

        act(id, "resume");
        logic.stepUntil(id, "Running", 4);
        assertThat(logic.flink.lastJob().spec.syncIntervalSeconds()).isEqualTo(5);
    }

    @Test
    void aResumeAskedWhileThePipeIsPausingEndsRunningFromTheSavepoint() {
        String id = logic.running("shop", SETTINGS).id();
        act(id, "pause");
        logic.step(id);

        act(id, "resume");
        Pipe running = logic.stepUntil(id, "Running", 6);

        assertThat(running.status().observedGeneration()).isEqualTo(running.spec().generation());
        assertThat(logic.flink.submissions).hasSize(2);
        assertThat(logic.flink.submissions.get(1).restoreFrom()).isPresent();
    }

    @Test
    void aResyncAskedWhileTheJobStopsForAChangeStartsOnceItHasStopped() {
        String id = logic.running("shop", SETTINGS).id();
        logic.service.updateSettings(id, settings("{\"syncIntervalSeconds\": 5}"));
        logic.step(id);

        assertThat(act(id, "resync").state()).isEqualTo(LifecycleState.SNAPSHOT);
        Pipe resyncing = logic.stepUntil(id, "Snapshot", 6);

        assertThat(resyncing.status().resync()).isEqualTo(PipeStatus.WholeResync.LOADING);
        assertThat(logic.flink.lastJob().spec.syncIntervalSeconds()).isEqualTo(5);
    }
}
