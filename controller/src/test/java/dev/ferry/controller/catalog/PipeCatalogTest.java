package dev.ferry.controller.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.controller.Controller;
import dev.ferry.controller.pipe.LifecycleState;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeRequest;
import dev.ferry.controller.pipe.PipeSettings;
import dev.ferry.controller.pipe.PipeStatus;

/** The catalog keeps pipes, their status and their history across reopening, and refuses a second controller. */
class PipeCatalogTest {

    @TempDir
    Path directory;

    private static Pipe pipe() {
        PipeRequest request = new PipeRequest("p", new PipeRequest.Source("mongodb://h/?replicaSet=rs0", null,
            new PipeRequest.Credentials(null, null)),
            new PipeRequest.Destination("http://ch:8123", "d", new PipeRequest.Credentials(null, null)),
            List.of(new PipeRequest.TableMapping("shop", "orders", "orders")), PipeSettings.DEFAULTS);
        return new Pipe("id-1", request, PipeStatus.created(), Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void aStatusWithEveryFactSurvivesReopening() {
        PipeStatus status = PipeStatus.created().provisionedNow().setUpWith(42L, "String", "18.16", Map.of("orders", 7L), "job")
            .snapshotCompleted().withPause(PipeStatus.Pause.requested(false).triggered("trigger-1"))
            .withState(LifecycleState.PAUSING, "stopping");
        try (PipeCatalog catalog = PipeCatalog.open(directory, Controller.objectMapper())) {
            catalog.insert(pipe());
            catalog.updateStatus(pipe().withStatus(status, Instant.parse("2026-01-01T00:01:00Z")));
        }

        try (PipeCatalog reopened = PipeCatalog.open(directory, Controller.objectMapper())) {
            assertThat(reopened.find("id-1").orElseThrow().status()).isEqualTo(status);
            assertThat(reopened.history("id-1")).extracting(t -> t.to())
                .containsExactly(LifecycleState.PROVISIONING, LifecycleState.PAUSING);
        }
    }

    @Test
    void aSecondControllerOnTheSameDataDirectoryIsRefused() {
        try (PipeCatalog first = PipeCatalog.open(directory, Controller.objectMapper())) {
            assertThatThrownBy(() -> PipeCatalog.open(directory, Controller.objectMapper()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is in use by another ferry controller");
        }
    }
}
