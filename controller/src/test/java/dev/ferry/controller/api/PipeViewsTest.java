package dev.ferry.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.common.Secret;
import dev.ferry.controller.Controller;
import dev.ferry.controller.pipe.AlertSettings;
import dev.ferry.controller.pipe.Credentials;
import dev.ferry.controller.pipe.DestinationSpec;
import dev.ferry.controller.pipe.LifecycleState;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeSettings;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.SourceSpec;
import dev.ferry.controller.pipe.TableMapping;
import dev.ferry.controller.testing.PipeFixtures;

/** What a pipe looks like in the API: its state and generations, and never a secret. */
class PipeViewsTest {

    private final PipeViews views = new PipeViews(Controller.objectMapper());

    private static Pipe pipeWithSecrets() {
        PipeSpec spec = PipeSpec.of("p", new SourceSpec("mongodb://reader:uri-secret@db1:27017/?replicaSet=rs0", null,
                new Credentials("reader", Secret.of("mongo-secret"))),
            new DestinationSpec("http://ch:8123", "dest", new Credentials("writer", Secret.fromEnv("CH_PASSWORD"))),
            List.of(new TableMapping("shop", "orders", "orders")), PipeSettings.DEFAULTS);
        return PipeFixtures.pipe(spec, PipeStatus.initial(), LifecycleState.PROVISIONING);
    }

    @Test
    void passwordValuesAreMaskedInCredentialsAndInTheUri() {
        String json = views.pipe(pipeWithSecrets(), null, Optional.empty()).toString();

        assertThat(json).doesNotContain("uri-secret").doesNotContain("mongo-secret");
        assertThat(json).contains("mongodb://reader:******@db1:27017").contains("\"username\":\"writer\"");
    }

    @Test
    void aPasswordGivenAsAReferenceShowsWhereItIsRead() {
        JsonNode credentials = views.pipe(pipeWithSecrets(), null, Optional.empty()).at("/destination/clickhouse/credentials");

        assertThat(credentials.at("/password/fromEnv").asText()).isEqualTo("CH_PASSWORD");
    }

    @Test
    void thePipeShowsItsStateWithItsLifecycleNameAndTheGenerationsOfItsSpec() {
        Pipe paused = pipeWithSecrets();
        paused = paused.withSpec(paused.spec().paused());

        JsonNode view = views.pipe(paused, null, Optional.empty());

        assertThat(view.get("state").asText()).isEqualTo("Provisioning");
        assertThat(view.get("desiredState").asText()).isEqualTo("paused");
        assertThat(view.get("generation").asLong()).isEqualTo(2);
        assertThat(view.get("observedGeneration").asLong()).isZero();
    }

    @Test
    void aStepWaitingToBeTriedAgainShowsItsError() {
        Pipe pipe = pipeWithSecrets();
        pipe = pipe.withStatus(pipe.status().toBuilder()
            .retry(new PipeStatus.Retry("cannot reach ClickHouse", 3, 60_000, 1)).build());

        JsonNode error = views.pipe(pipe, null, Optional.empty()).get("lastError");

        assertThat(error.get("message").asText()).isEqualTo("cannot reach ClickHouse");
        assertThat(error.get("attempts").asInt()).isEqualTo(3);
        assertThat(error.get("nextAttemptAt").asText()).isEqualTo("1970-01-01T00:01:00Z");
    }

    private static PipeSettings alertingTo(String url) {
        return PipeSettings.DEFAULTS.withAlerts(new AlertSettings(URI.create(url), List.of(LifecycleState.FAILED)));
    }

    @Test
    void aWebhookUrlIsShownWithoutItsPathWhichOftenHoldsAToken() {
        JsonNode view = views.settings(alertingTo("https://hooks.example.com:8443/services/T0K3N?key=abc"));

        assertThat(view.at("/alerts/webhookUrl").asText()).isEqualTo("https://hooks.example.com:8443/******");
        assertThat(view.toString()).doesNotContain("T0K3N").doesNotContain("abc");
    }

    @Test
    void settingsWithoutAWebhookShowNoAlerts() {
        assertThat(views.settings(PipeSettings.DEFAULTS).has("alerts")).isFalse();
    }

    @Test
    void aMaskedWebhookUrlSentBackKeepsTheStoredOne() {
        PipeSettings current = alertingTo("https://hooks.example.com/services/T0K3N");
        PipeSettings sentBack = alertingTo("https://hooks.example.com/******");

        assertThat(views.unmasked(sentBack, current).alerts().webhookUrl())
            .isEqualTo(URI.create("https://hooks.example.com/services/T0K3N"));
    }

    @Test
    void aNewWebhookUrlReplacesTheStoredOne() {
        PipeSettings current = alertingTo("https://hooks.example.com/services/T0K3N");
        PipeSettings changed = alertingTo("https://other.example.com/hook");

        assertThat(views.unmasked(changed, current)).isEqualTo(changed);
    }
}
