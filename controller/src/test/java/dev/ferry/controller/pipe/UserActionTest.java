package dev.ferry.controller.pipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ferry.controller.api.ApiException;

/** Which states allow which user actions, and what a refusal says. */
class UserActionTest {

    private static Pipe pipeIn(LifecycleState state) {
        PipeRequest request = new PipeRequest("shop", new PipeRequest.Source("mongodb://h/?replicaSet=rs0", null, null),
            new PipeRequest.Destination("http://ch:8123", "d", null),
            List.of(new PipeRequest.TableMapping("shop", "orders", "orders")), PipeSettings.DEFAULTS);
        return new Pipe("id-1", request, PipeStatus.created().withState(state, "why"), Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void pauseIsAllowedWhileRunningOrLoadingOnly() {
        assertThat(LifecycleState.values()).filteredOn(UserAction.PAUSE::isAllowedIn)
            .containsExactlyInAnyOrder(LifecycleState.RUNNING, LifecycleState.SNAPSHOT);
    }

    @Test
    void aFailedPipeCanOnlyBeResynced() {
        assertThat(UserAction.values()).filteredOn(action -> action.isAllowedIn(LifecycleState.FAILED))
            .containsExactly(UserAction.RESYNC);
    }

    @Test
    void aRefusalIsAConflictNamingTheStateAndTheStatesThatAllowIt() {
        assertThatThrownBy(() -> UserAction.RESYNC.requireAllowed(pipeIn(LifecycleState.SNAPSHOT)))
            .isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(409);
                assertThat(e.getMessage()).isEqualTo("pipe 'shop' is Snapshot; resync is allowed in Running, Paused, "
                    + "Degraded and Failed");
            });
    }

    @Test
    void resumingAPipeStillPausingSaysToTryAgain() {
        assertThatThrownBy(() -> UserAction.RESUME.requireAllowed(pipeIn(LifecycleState.PAUSING)))
            .hasMessageEndingWith("(it is still pausing; try again in a moment)");
    }

    @Test
    void resyncingATableOfAFailedPipeSaysToResyncThePipe() {
        assertThatThrownBy(() -> UserAction.RESYNC_TABLE.requireAllowed(pipeIn(LifecycleState.FAILED)))
            .hasMessageContaining("resync the whole pipe instead");
    }
}
