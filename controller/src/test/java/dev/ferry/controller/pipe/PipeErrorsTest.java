package dev.ferry.controller.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.ferry.controller.testing.PipeFixtures;

class PipeErrorsTest {

    private static Pipe in(LifecycleState state, Problem problem) {
        return PipeFixtures.pipeIn(state).withLifecycle(new Lifecycle.Derived(state, "why " + state, problem));
    }

    @Test
    void aProblemThePipeDidNotHaveOpensAnErrorWithTheStateAndReason() {
        assertThat(PipeErrors.between(in(LifecycleState.RUNNING, null), in(LifecycleState.DEGRADED,
            Problem.JOB_RESTARTING))).containsExactly(new PipeErrors.Change(Problem.JOB_RESTARTING,
            LifecycleState.DEGRADED, "why Degraded", true));
    }

    @Test
    void aProblemThePipeStillHasOpensNothingNew() {
        assertThat(PipeErrors.between(in(LifecycleState.DEGRADED, Problem.LAGGING),
            in(LifecycleState.DEGRADED, Problem.LAGGING))).isEmpty();
    }

    @Test
    void aProblemGoneIsResolvedAndAnotherOneOpened() {
        assertThat(PipeErrors.between(in(LifecycleState.DEGRADED, Problem.JOB_RESTARTING),
            in(LifecycleState.FAILED, Problem.FAILED))).extracting(PipeErrors.Change::problem,
            PipeErrors.Change::opens).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Problem.JOB_RESTARTING, false),
                org.assertj.core.groups.Tuple.tuple(Problem.FAILED, true));
    }

    @Test
    void aStepWaitingToBeTriedAgainIsAProblemOfItsOwn() {
        Pipe waiting = in(LifecycleState.SETUP, null).withStatus(PipeStatus.initial().toBuilder()
            .retry(new PipeStatus.Retry("ClickHouse does not answer", 1, 10, 1)).build());

        assertThat(PipeErrors.between(in(LifecycleState.SETUP, null), waiting)).containsExactly(
            new PipeErrors.Change(Problem.RETRYING, LifecycleState.SETUP, "ClickHouse does not answer", true));
        assertThat(PipeErrors.between(waiting, in(LifecycleState.SNAPSHOT, null))).extracting(
            PipeErrors.Change::opens).containsExactly(false);
    }
}
