package dev.ferry.controller.pipe;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a pipe's transitions are announced: a webhook that gets a JSON POST when the pipe enters one of the states
 * {@code on}. {@link #NONE}: no webhook of the pipe's own (the controller's, if it has one, applies).
 */
public record AlertSettings(URI webhookUrl, List<LifecycleState> on) {

    public static final AlertSettings NONE = new AlertSettings(null, List.of());
    /** The states announced when a webhook is given without {@code on}. */
    public static final List<LifecycleState> DEFAULT_ON = List.of(LifecycleState.DEGRADED, LifecycleState.FAILED);

    public AlertSettings {
        // in the lifecycle's order, each state once
        on = on == null || on.isEmpty() ? List.of() : List.copyOf(EnumSet.copyOf(on));
    }

    public boolean isSet() {
        return webhookUrl != null;
    }

    /** Whether a transition into {@code state} is announced. */
    public boolean announces(LifecycleState state) {
        return webhookUrl != null && on.contains(state);
    }

    /**
     * Reads {@code {"webhookUrl": "https://...", "on": ["Degraded", "Failed", "Running"]}} ({@code on} defaults to
     * Degraded and Failed); what is wrong goes into {@code problems} under {@code field}.
     */
    public static AlertSettings parse(JsonNode node, String field, List<String> problems) {
        if (node == null || node.isNull()) {
            return NONE;
        }
        JsonNode url = node.get("webhookUrl");
        if (!node.isObject() || url == null || !url.isTextual()) {
            problems.add(field + ": must be {\"webhookUrl\": \"https://...\", \"on\": [\"Degraded\", \"Failed\"]}");
            return NONE;
        }
        URI webhook = webhook(url.asText(), field, problems);
        JsonNode states = node.get("on");
        if (states == null || states.isNull()) {
            return webhook == null ? NONE : new AlertSettings(webhook, DEFAULT_ON);
        }
        List<LifecycleState> on = new ArrayList<>();
        if (!states.isArray() || states.isEmpty()) {
            problems.add(field + ".on: must be a non-empty list of states, e.g. [\"Degraded\", \"Failed\"]");
        } else {
            states.forEach(state -> LifecycleState.fromLabel(state.asText()).ifPresentOrElse(on::add, () -> problems.add(field
                + ".on: '" + state.asText() + "' is not a state; the states are "
                + List.of(LifecycleState.values()))));
        }
        return webhook == null || on.isEmpty() ? NONE : new AlertSettings(webhook, on);
    }

    /** Parses a webhook's URL: absolute http(s). */
    private static URI webhook(String text, String field, List<String> problems) {
        try {
            URI uri = new URI(text);
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        // the URL itself is not repeated: webhook URLs often carry a token
        problems.add(field + ".webhookUrl: is not an absolute http or https URL, e.g. https://alerts.example.com/ferry");
        return null;
    }
}
