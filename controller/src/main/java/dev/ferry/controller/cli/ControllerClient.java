package dev.ferry.controller.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The controller's REST API as the CLI calls it: JSON replies, the API token from {@code FERRY_API_TOKEN} when
 * set, and an {@link Unreachable} when the controller does not answer.
 */
final class ControllerClient {

    /** A reply: the status and the JSON body (null when empty). */
    record Reply(int status, JsonNode body) {

        boolean refused() {
            return status >= 400;
        }

        /** The controller's message of a refusal. */
        String error() {
            return body == null ? "HTTP " + status : body.path("error").path("message").asText(body.toString());
        }
    }

    /** The controller could not be reached. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }

    private final String baseUrl;
    private final String token;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ControllerClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Reply get(String path) {
        return call("GET", path, null, Duration.ofSeconds(60));
    }

    Reply call(String method, String path, String body) {
        return call(method, path, body, Duration.ofSeconds(60));
    }

    Reply call(String method, String path, String body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = response.body().isEmpty() ? null : json.readTree(response.body());
            return new Reply(response.statusCode(), parsed);
        } catch (IOException e) {
            throw new Unreachable("cannot reach the ferry controller at " + baseUrl + " (" + e
                + "); start it with 'bin/ferry controller' or pass --url");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
    }
}
