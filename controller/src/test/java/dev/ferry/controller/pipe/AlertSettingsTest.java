package dev.ferry.controller.pipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code settings.alerts} as a request gives it. */
class AlertSettingsTest {

    private final List<String> problems = new ArrayList<>();

    private AlertSettings parse(String json) throws Exception {
        JsonNode node = new ObjectMapper().readTree(json);
        return AlertSettings.parse(node, "settings.alerts", problems);
    }

    @Test
    void aWebhookWithStatesAnnouncesThoseStates() throws Exception {
        AlertSettings alerts = parse("{\"webhookUrl\": \"https://hooks.example.com/x\", \"on\": [\"Running\", "
            + "\"Degraded\", \"Running\"]}");

        assertThat(problems).isEmpty();
        assertThat(alerts.webhookUrl()).isEqualTo(URI.create("https://hooks.example.com/x"));
        assertThat(alerts.on()).containsExactly(LifecycleState.RUNNING, LifecycleState.DEGRADED);
        assertThat(alerts.announces(LifecycleState.DEGRADED)).isTrue();
        assertThat(alerts.announces(LifecycleState.PAUSED)).isFalse();
    }

    @Test
    void aWebhookWithoutStatesAnnouncesDegradedAndFailed() throws Exception {
        assertThat(parse("{\"webhookUrl\": \"http://alerts:9000/\"}").on())
            .containsExactly(LifecycleState.DEGRADED, LifecycleState.FAILED);
    }

    @Test
    void anUnknownStateIsAProblemNamingTheStates() throws Exception {
        parse("{\"webhookUrl\": \"https://hooks.example.com/x\", \"on\": [\"Broken\"]}");

        assertThat(problems).singleElement().asString().contains("'Broken' is not a state").contains("Degraded");
    }

    @Test
    void aUrlThatIsNotHttpIsAProblemThatDoesNotRepeatIt() throws Exception {
        parse("{\"webhookUrl\": \"ftp://files/secret-token\"}");

        assertThat(problems).singleElement().asString().contains("http or https").doesNotContain("secret-token");
    }

    @Test
    void noAlertsAnnounceNothing() throws Exception {
        assertThat(parse("null")).isEqualTo(AlertSettings.NONE);
        assertThat(AlertSettings.NONE.announces(LifecycleState.FAILED)).isFalse();
    }
}
