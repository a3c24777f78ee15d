package dev.ferry.controller.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import dev.ferry.controller.testing.PipeFixtures;

/** Which states take which user actions, and what a refusal says. */
class UserActionTest {

    private static final EnumSet<LifecycleState> ENDS = EnumSet.of(LifecycleState.FAILED, LifecycleState.COMPLETED);

    @Test
    void newSettingsAreTakenInEveryStateThatIsNotAnEnd() {
        assertThat(LifecycleState.values()).filteredOn(UserAction.CHANGE_SETTINGS::isAllowedIn)
            .containsExactlyInAnyOrderElementsOf(EnumSet.complementOf(ENDS));
    }

    @Test
    void changesOfTheTablesAreTakenInEveryStateThatIsNotAnEndButWhileTheWholePipeIsResynced() {
        EnumSet<LifecycleState> taking = EnumSet.complementOf(ENDS);
        taking.remove(LifecycleState.RESYNC);
        for (UserAction change : EnumSet.of(UserAction.RESYNC_TABLE, UserAction.CHANGE_TABLES)) {
            assertThat(LifecycleState.values()).as("%s", change).filteredOn(change::isAllowedIn)
                .containsExactlyInAnyOrderElementsOf(taking);
        }
    }

    @Test
    void pauseIsTakenWhateverIsInFlightUnlessThePipeIsPausingOrPausedAlready() {
        assertThat(LifecycleState.values()).filteredOn(UserAction.PAUSE::isAllowedIn).containsExactlyInAnyOrder(
            LifecycleState.PROVISIONING, LifecycleState.SETUP, LifecycleState.SNAPSHOT, LifecycleState.RUNNING,
            LifecycleState.DEGRADED, LifecycleState.MODIFYING, LifecycleState.RESYNC);
    }

    @Test
    void resumeIsTakenByAPipePausedOrStillPausing() {
        assertThat(LifecycleState.values()).filteredOn(UserAction.RESUME::isAllowedIn).containsExactlyInAnyOrder(
            LifecycleState.PAUSING, LifecycleState.PAUSED);
    }

    @Test
    void anEndStateTakesOnlyAResync() {
        for (LifecycleState end : ENDS) {
            assertThat(UserAction.values()).as("%s", end).filteredOn(action -> action.isAllowedIn(end))
                .containsExactly(UserAction.RESYNC);
        }
    }

    @Test
    void aRefusalIsAConflictNamingTheStateAndTheStatesThatAllowIt() {
        assertThatThrownBy(() -> UserAction.RESUME.requireAllowed(PipeFixtures.pipeIn(LifecycleState.RUNNING)))
            .isInstanceOf(ConflictException.class)
            .hasMessage("pipe 'shop' is Running; resume is allowed in Pausing and Paused (it is not paused)");
    }

    @Test
    void pausingAPipeThatIsPausingSaysItIsAlready() {
        assertThatThrownBy(() -> UserAction.PAUSE.requireAllowed(PipeFixtures.pipeIn(LifecycleState.PAUSING)))
            .hasMessageEndingWith("(it is Pausing already)");
    }

    @Test
    void resyncingATableOfAFailedPipeSaysToResyncThePipe() {
        assertThatThrownBy(() -> UserAction.RESYNC_TABLE.requireAllowed(PipeFixtures.pipeIn(LifecycleState.FAILED)))
            .hasMessageContaining("resync the whole pipe instead");
    }
}
