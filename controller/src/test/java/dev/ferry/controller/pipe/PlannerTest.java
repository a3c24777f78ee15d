package dev.ferry.controller.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.UnaryOperator;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.execution.ExecutionState;
import org.junit.jupiter.api.Test;

import dev.ferry.controller.flink.FlinkJob;
import dev.ferry.controller.testing.PipeFixtures;

/**
 * The planner's decisions, as a table of every action a user can ask in every lifecycle state: whether the state
 * allows it ({@link UserAction}), and when it does, the plan the reconciler carries out next and the state users
 * see at once. The lifecycle state is derived from the same plan, so the two cannot disagree.
 */
class PlannerTest {

    private static final PipeSpec SPEC = PipeFixtures.spec();
    private static final PipeSpec SNAPSHOT_ONLY = PipeFixtures.spec(withMode(PipeSettings.ReplicationMode.SNAPSHOT));
    private static final PipeStatus DEPLOYED = PipeStatus.initial().toBuilder().phase(Phase.DEPLOYED).jobId("job-1")
        .setup(new PipeStatus.Setup(1L, "String", "18.16"))
        .tables(Map.of("orders", PipeStatus.TableState.toLoad(0, 0, null, 0, 10, true, 1)))
        .reconciled(SPEC).build();
    private static final PipeStatus LOADED = DEPLOYED.toBuilder().snapshotDone(true)
        .tables(Map.of("orders", DEPLOYED.tables().get("orders").asLoaded())).build();

    /** A pipe in one lifecycle state: what the user asked for, what was done, and what its job shows. */
    private record Situation(PipeSpec spec, PipeStatus status, Optional<JobObservation> observation) {

        Lifecycle.Derived derived() {
            return Lifecycle.derive(spec, status, observation, OptionalDouble.empty());
        }

        Pipe pipe() {
            return PipeFixtures.pipe(spec, status, derived().state()).withLifecycle(derived());
        }
    }

    private static PipeSettings withMode(PipeSettings.ReplicationMode mode) {
        PipeSettings d = PipeSettings.DEFAULTS;
        return new PipeSettings(mode, d.syncIntervalSeconds(), d.pullBatchSize(), d.snapshotParallelTables(),
            d.snapshotNumRowsPerPartition(), d.snapshotParallelism(), d.docColumnType(), d.lagThresholdSeconds(),
            d.onSourceCollectionGone(), d.alerts(), d.excludedOperations(), d.fullDocument());
    }

    private static PipeSettings withSyncInterval(PipeSettings s, int seconds) {
        return new PipeSettings(s.replicationMode(), seconds, s.pullBatchSize(), s.snapshotParallelTables(),
            s.snapshotNumRowsPerPartition(), s.snapshotParallelism(), s.docColumnType(), s.lagThresholdSeconds(),
            s.onSourceCollectionGone(), s.alerts(), s.excludedOperations(), s.fullDocument());
    }

    private static Optional<JobObservation> job(JobStatus state, ExecutionState snapshot) {
        return Optional.of(JobObservation.of(new FlinkJob("job-1", state, 1_000, List.of(
            new FlinkJob.Vertex("v1", "Source: Snapshot -> ClickHouse snapshot: Writer", snapshot, 0)),
            FlinkJob.Health.UNKNOWN), 2_000));
    }

    /** One pipe in each state, as the tests of the reconciler bring pipes there. */
    private static Map<LifecycleState, Situation> situations() {
        Map<LifecycleState, Situation> in = new EnumMap<>(LifecycleState.class);
        PipeStatus stopping = LOADED.toBuilder().phase(Phase.STOPPING).stop(PipeStatus.Stop.first("t", 0)).build();
        in.put(LifecycleState.PROVISIONING, new Situation(SPEC, PipeStatus.initial(), Optional.empty()));
        in.put(LifecycleState.SETUP, new Situation(SPEC, PipeStatus.initial().toBuilder().phase(Phase.PROVISIONED)
            .build(), Optional.empty()));
        in.put(LifecycleState.SNAPSHOT, new Situation(SPEC, DEPLOYED, job(JobStatus.RUNNING, ExecutionState.RUNNING)));
        in.put(LifecycleState.RUNNING, new Situation(SPEC, LOADED, job(JobStatus.RUNNING, ExecutionState.FINISHED)));
        in.put(LifecycleState.PAUSING, new Situation(SPEC.paused(), stopping,
            job(JobStatus.RUNNING, ExecutionState.FINISHED)));
        in.put(LifecycleState.PAUSED, new Situation(SPEC.paused(), LOADED.toBuilder().phase(Phase.SUSPENDED)
            .resumeFrom("file:///sp/1").reconciled(SPEC.paused()).build(), Optional.empty()));
        PipeSpec faster = SPEC.withSettings(withSyncInterval(SPEC.settings(), 5));
        in.put(LifecycleState.MODIFYING, new Situation(faster, stopping,
            job(JobStatus.RUNNING, ExecutionState.FINISHED)));
        in.put(LifecycleState.RESYNC, new Situation(SPEC, DEPLOYED.toBuilder()
            .resync(PipeStatus.WholeResync.LOADING).build(), job(JobStatus.RUNNING, ExecutionState.FINISHED)));
        in.put(LifecycleState.DEGRADED, new Situation(SPEC, LOADED,
            job(JobStatus.RESTARTING, ExecutionState.FINISHED)));
        in.put(LifecycleState.FAILED, new Situation(SPEC, LOADED.toBuilder().failure("it broke").build(),
            Optional.empty()));
        in.put(LifecycleState.COMPLETED, new Situation(SNAPSHOT_ONLY, LOADED.toBuilder().reconciled(SNAPSHOT_ONLY)
            .build(), Optional.of(JobObservation.of(new FlinkJob("job-1", JobStatus.FINISHED, 1_000, List.of(),
            FlinkJob.Health.UNKNOWN), 2_000))));
        return in;
    }

    /** An action a user asks for, as the API turns it into the pipe's next spec. */
    private record Action(String name, UserAction allowedBy, UnaryOperator<PipeSpec> change) {
    }

    private static final List<Action> ACTIONS = List.of(
        new Action("pause", UserAction.PAUSE, PipeSpec::paused),
        new Action("resume", UserAction.RESUME, PipeSpec::resumed),
        new Action("resync", UserAction.RESYNC, PipeSpec::resynced),
        new Action("resyncTable", UserAction.RESYNC_TABLE, spec -> spec.withTableResynced("orders")),
        new Action("changeSettings", UserAction.CHANGE_SETTINGS,
            spec -> spec.withSettings(withSyncInterval(spec.settings(), 7))),
        new Action("changeTables", UserAction.CHANGE_TABLES, spec -> spec.withTableMappings(List.of(
            spec.tableMappings().get(0), new TableMapping("shop", "customers", "customers")))));

    /**
     * Per state, per action (in the order of {@link #ACTIONS}): "refused" when the state does not allow it, else
     * the plan that follows and the state shown right after the request.
     */
    private static final Map<LifecycleState, List<String>> EXPECTED = new EnumMap<>(Map.ofEntries(
        //                                 pause              resume             resync
        //                                 resyncTable        changeSettings     changeTables
        Map.entry(LifecycleState.PROVISIONING, List.of("Wait Paused", "refused", "Provision Provisioning",
            "Provision Provisioning", "Provision Provisioning", "Provision Provisioning")),
        Map.entry(LifecycleState.SETUP, List.of("Wait Paused", "refused", "SetUp Setup",
            "SetUp Setup", "SetUp Setup", "SetUp Setup")),
        Map.entry(LifecycleState.SNAPSHOT, List.of("Stop Pausing", "refused", "Resync Snapshot",
            "Stop Modifying", "Stop Modifying", "Stop Modifying")),
        Map.entry(LifecycleState.RUNNING, List.of("Stop Pausing", "refused", "Resync Snapshot",
            "Stop Modifying", "Stop Modifying", "Stop Modifying")),
        Map.entry(LifecycleState.PAUSING, List.of("refused", "AwaitStop Modifying", "AwaitStop Snapshot",
            "AwaitStop Pausing", "AwaitStop Pausing", "AwaitStop Pausing")),
        Map.entry(LifecycleState.PAUSED, List.of("refused", "Submit Running", "Resync Snapshot",
            "Wait Paused", "Wait Paused", "Wait Paused")),
        Map.entry(LifecycleState.MODIFYING, List.of("AwaitStop Pausing", "refused", "AwaitStop Snapshot",
            "AwaitStop Modifying", "AwaitStop Modifying", "AwaitStop Modifying")),
        Map.entry(LifecycleState.RESYNC, List.of("Stop Pausing", "refused", "Resync Snapshot",
            "refused", "Stop Modifying", "refused")),
        Map.entry(LifecycleState.DEGRADED, List.of("Stop Pausing", "refused", "Resync Snapshot",
            "Stop Modifying", "Stop Modifying", "Stop Modifying")),
        Map.entry(LifecycleState.FAILED, List.of("refused", "refused", "Recover Snapshot",
            "refused", "refused", "refused")),
        Map.entry(LifecycleState.COMPLETED, List.of("refused", "refused", "Resync Snapshot",
            "refused", "refused", "refused"))));

    @Test
    void eachSituationIsInTheStateItStandsFor() {
        situations().forEach((state, situation) -> assertThat(situation.derived().state()).as("%s", state)
            .isEqualTo(state));
    }

    @Test
    void everyActionInEveryStateIsRefusedOrLeadsToItsPlanAndTheStateShownAtOnce() {
        List<String> differences = new ArrayList<>();
        situations().forEach((state, situation) -> {
            for (int i = 0; i < ACTIONS.size(); i++) {
                Action action = ACTIONS.get(i);
                String outcome = outcome(situation, action);
                String expected = EXPECTED.get(state).get(i);
                if (!outcome.equals(expected)) {
                    differences.add(state + " x " + action.name() + ": expected " + expected + ", was " + outcome);
                }
            }
        });

        assertThat(differences).isEmpty();
    }

    private static String outcome(Situation situation, Action action) {
        if (action.allowedBy().refusal(situation.pipe()).isPresent()) {
            return "refused";
        }
        PipeSpec asked = action.change().apply(situation.spec());
        Plan plan = Planner.next(asked, situation.status(), situation.observation());
        LifecycleState shown = Lifecycle.derive(asked, situation.status(), situation.observation(),
            OptionalDouble.empty()).state();
        return plan.getClass().getSimpleName() + " " + shown.label();
    }

    @Test
    void aStateThatRefusesAnActionSaysWhichStatesAllowIt() {
        Pipe running = situations().get(LifecycleState.RUNNING).pipe();

        assertThat(UserAction.RESUME.refusal(running)).hasValueSatisfying(reason -> assertThat(reason)
            .contains("is Running").contains("allowed in Pausing and Paused").contains("not paused"));
    }

    private static Plan next(PipeSpec spec, PipeStatus status, Optional<JobObservation> observation) {
        return Planner.next(spec, status, observation);
    }

    private static Optional<JobObservation> lost() {
        return Optional.of(JobObservation.lostAt("job-1", 2_000));
    }

    @Test
    void aJobTheClusterLostIsSubmittedAgainUnlessAStopWasWantedThenThePipeStopsAtItsPosition() {
        assertThat(next(SPEC, LOADED, lost())).isEqualTo(new Plan.Submit(Plan.Start.LOST));
        assertThat(next(SPEC.paused(), LOADED, lost())).isEqualTo(new Plan.SuspendLost(Plan.StopReason.PAUSE));
    }

    @Test
    void aStreamingJobThatEndedByItselfIsSubmittedAgain() {
        assertThat(next(SPEC, LOADED, job(JobStatus.FINISHED, ExecutionState.FINISHED)))
            .isEqualTo(new Plan.Submit(Plan.Start.ENDED));
    }

    @Test
    void aJobFlinkGaveUpOnFailsThePipeWithoutCancellingWhatEndedAlready() {
        assertThat(next(SPEC, LOADED, job(JobStatus.FAILED, ExecutionState.FINISHED)))
            .isInstanceOfSatisfying(Plan.Fail.class, fail -> assertThat(fail.cancelJob()).isFalse());
    }

    @Test
    void aCollectionGoneFailsThePipeOnlyWhenItsSettingSaysSo() {
        PipeStatus gone = LOADED.toBuilder().sourcesGone(Map.of("orders", SourceGone.DROPPED)).build();
        PipeSettings d = PipeSettings.DEFAULTS;
        PipeSpec failing = SPEC.withSettings(new PipeSettings(d.replicationMode(), d.syncIntervalSeconds(),
            d.pullBatchSize(), d.snapshotParallelTables(), d.snapshotNumRowsPerPartition(), d.snapshotParallelism(),
            d.docColumnType(), d.lagThresholdSeconds(), PipeSettings.OnSourceGone.FAILED, d.alerts(),
            d.excludedOperations(), d.fullDocument()));
        Optional<JobObservation> running = job(JobStatus.RUNNING, ExecutionState.FINISHED);

        assertThat(next(SPEC, gone, running)).isEqualTo(new Plan.Wait(Plan.Waiting.RUNNING, Plan.Applied.SPEC));
        assertThat(next(failing, gone.toBuilder().reconciled(failing).build(), running))
            .isInstanceOfSatisfying(Plan.Fail.class, fail -> assertThat(fail.reason()).contains("shop.orders")
                .contains("was dropped"));
    }

    @Test
    void aTableResyncedOnItsOwnIsSwappedInOnceLoaded() {
        PipeStatus loading = LOADED.toBuilder().tables(Map.of("orders", PipeStatus.TableState.toLoad(5, 9,
            PipeStatus.TableResync.LOADING, 0, 10, true, 2))).build();

        assertThat(next(SPEC, loading, job(JobStatus.RUNNING, ExecutionState.RUNNING)))
            .isEqualTo(new Plan.Wait(Plan.Waiting.RUNNING, Plan.Applied.SPEC));
        assertThat(next(SPEC, loading, job(JobStatus.RUNNING, ExecutionState.FINISHED)))
            .isEqualTo(new Plan.Stop(Plan.StopReason.SWAP_TABLES, List.of("orders")));
    }

    @Test
    void aStoppedJobSwapsThenSetsUpTablesThenStartsAgainEachAPlanOfItsOwn() {
        PipeStatus stopped = LOADED.toBuilder().phase(Phase.SUSPENDED).resumeFrom("file:///sp/2").build();
        PipeSpec added = SPEC.withTableMappings(List.of(SPEC.tableMappings().get(0),
            new TableMapping("shop", "customers", "customers")));

        assertThat(next(SPEC, stopped.toBuilder().resync(PipeStatus.WholeResync.SWAPPING).build(), Optional.empty()))
            .isEqualTo(new Plan.Swap(true, List.of("orders")));
        assertThat(next(added, stopped, Optional.empty())).isInstanceOfSatisfying(Plan.SetUpTables.class,
            setUp -> assertThat(setUp.changes().added()).containsExactly("customers"));
        assertThat(next(SPEC, stopped, Optional.empty())).isEqualTo(new Plan.Submit(Plan.Start.RESTART));
        assertThat(next(SNAPSHOT_ONLY, stopped.toBuilder().reconciled(SNAPSHOT_ONLY).build(), Optional.empty()))
            .isEqualTo(new Plan.Complete());
    }

    @Test
    void aJobNotSeenAtTheMomentIsLeftAloneWhateverIsWanted() {
        assertThat(next(SPEC.paused(), LOADED, Optional.empty()))
            .isEqualTo(new Plan.AwaitJob(new Plan.Stop(Plan.StopReason.PAUSE)));
        PipeStatus stopping = LOADED.toBuilder().phase(Phase.STOPPING).stop(PipeStatus.Stop.first("t", 0)).build();
        assertThat(next(SPEC.paused(), stopping, Optional.empty()))
            .isEqualTo(new Plan.AwaitJob(new Plan.AwaitStop(Plan.StopReason.PAUSE)));
    }

    @Test
    void aFailedPipeWaitsForAResyncThenStartsAgainFromItsSetupIfItNeverRan() {
        PipeStatus failedInSetup = PipeStatus.initial().toBuilder().phase(Phase.PROVISIONED).failure("refused").build();

        assertThat(next(SPEC, failedInSetup, Optional.empty()))
            .isEqualTo(new Plan.Wait(Plan.Waiting.FAILED, Plan.Applied.NOTHING));
        assertThat(next(SPEC.resynced(), failedInSetup, Optional.empty())).isEqualTo(new Plan.Recover(true));
    }
}
