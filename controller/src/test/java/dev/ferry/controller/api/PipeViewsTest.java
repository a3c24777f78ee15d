package dev.ferry.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ferry.controller.Controller;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeRequest;
import dev.ferry.controller.pipe.PipeSettings;
import dev.ferry.controller.pipe.PipeStatus;

/** Secrets never leave the controller in a response. */
class PipeViewsTest {

    private final PipeViews views = new PipeViews(Controller.objectMapper());

    private static Pipe pipeWithSecrets() {
        PipeRequest request = new PipeRequest("p",
            new PipeRequest.Source("mongodb://reader:uri-secret@db1:27017/?replicaSet=rs0", null,
                new PipeRequest.Credentials("reader", "mongo-secret")),
            new PipeRequest.Destination("http://ch:8123", "dest", new PipeRequest.Credentials("writer", "ch-secret")),
            List.of(new PipeRequest.TableMapping("shop", "orders", "orders")), PipeSettings.DEFAULTS);
        return new Pipe("id-1", request, PipeStatus.created(), Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void passwordsAreMaskedInCredentialsAndInTheUri() {
        String json = views.pipe(pipeWithSecrets(), null).toString();

        assertThat(json).doesNotContain("uri-secret").doesNotContain("mongo-secret").doesNotContain("ch-secret");
        assertThat(json).contains("mongodb://reader:******@db1:27017").contains("\"username\":\"writer\"");
    }

    @Test
    void theStateIsShownWithItsLifecycleName() {
        assertThat(views.pipe(pipeWithSecrets(), null).get("state").asText()).isEqualTo("Provisioning");
    }
}
