package dev.ferry.controller.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.ferry.controller.testing.PipeFixtures;

/** Which states allow which user actions, and what a refusal says. */
class UserActionTest {

    @Test
    void pauseIsAllowedFromCreationUntilTheJobRunsAndWhileItRestarts() {
        assertThat(LifecycleState.values()).filteredOn(UserAction.PAUSE::isAllowedIn).containsExactlyInAnyOrder(
            LifecycleState.PROVISIONING, LifecycleState.SETUP, LifecycleState.SNAPSHOT, LifecycleState.RUNNING,
            LifecycleState.DEGRADED);
    }

    @Test
    void aFailedPipeCanOnlyBeResynced() {
        assertThat(UserAction.values()).filteredOn(action -> action.isAllowedIn(LifecycleState.FAILED))
            .containsExactly(UserAction.RESYNC);
    }

    @Test
    void aRefusalIsAConflictNamingTheStateAndTheStatesThatAllowIt() {
        assertThatThrownBy(() -> UserAction.RESYNC.requireAllowed(PipeFixtures.pipeIn(LifecycleState.PAUSING)))
            .isInstanceOf(ConflictException.class)
            .hasMessage("pipe 'shop' is Pausing; resync is allowed in Running, Paused, Degraded and Failed");
    }

    @Test
    void resumingAPipeStillPausingSaysToTryAgain() {
        assertThatThrownBy(() -> UserAction.RESUME.requireAllowed(PipeFixtures.pipeIn(LifecycleState.PAUSING)))
            .hasMessageEndingWith("(it is still pausing; try again in a moment)");
    }

    @Test
    void aChangeAskedWhileAnotherIsAppliedSaysToWaitForRunning() {
        assertThatThrownBy(() -> UserAction.CHANGE_TABLES.requireAllowed(PipeFixtures.pipeIn(LifecycleState.MODIFYING)))
            .hasMessageContaining("bin/ferry pipes wait shop --state Running");
    }

    @Test
    void resyncingATableOfAFailedPipeSaysToResyncThePipe() {
        assertThatThrownBy(() -> UserAction.RESYNC_TABLE.requireAllowed(PipeFixtures.pipeIn(LifecycleState.FAILED)))
            .hasMessageContaining("resync the whole pipe instead");
    }
}
