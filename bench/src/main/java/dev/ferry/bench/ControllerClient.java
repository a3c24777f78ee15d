package dev.ferry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The few calls of the controller's REST API the benchmark makes. */
final class ControllerClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final long MIN_ROWS_PER_PARTITION = 1_000;

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ControllerClient(String url) {
        this.url = url;
    }

    /**
     * Creates a pipe of one collection and answers its id; {@code readers} 0 keeps the default parallelism, and
     * otherwise the collection is split into eight ranges per reader, so that every reader has work to the end.
     */
    String createPipe(String name, String mongoUri, String clickHouseUrl, String database, String collection,
                      String replicationMode, int readers, long documents) {
        ObjectNode body = JSON.createObjectNode().put("name", name);
        body.putObject("source").putObject("mongodb").put("uri", mongoUri);
        body.putObject("destination").putObject("clickhouse").put("url", clickHouseUrl).put("database", database);
        body.putArray("tableMappings").addObject().put("sourceDatabaseName", Bench.DATABASE)
            .put("sourceCollection", collection).put("targetTable", collection);
        ObjectNode settings = body.putObject("settings").put("replicationMode", replicationMode);
        if (readers > 0) {
            settings.put("snapshotParallelism", readers)
                .put("snapshotNumRowsPerPartition", Math.max(MIN_ROWS_PER_PARTITION, documents / (8L * readers)));
        }
        return send("POST", "/v1/pipes", body).path("id").asText();
    }

    JsonNode pipe(String id) {
        return send("GET", "/v1/pipes/" + id, null);
    }

    String history(String id) {
        return send("GET", "/v1/pipes/" + id + "/history", null).toPrettyString();
    }

    void act(String id, String action) {
        send("PATCH", "/v1/pipes/" + id + "/state", JSON.createObjectNode().put("action", action));
    }

    void syncInterval(String id, int seconds) {
        JsonNode settings = send("GET", "/v1/pipes/" + id + "/settings", null);
        send("PUT", "/v1/pipes/" + id + "/settings", ((ObjectNode) settings).put("syncIntervalSeconds", seconds));
    }

    /** Waits until the pipe has applied what it was asked and is in {@code state}. */
    void awaitState(String id, String state, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode pipe = pipe(id);
        while (System.nanoTime() < deadline) {
            pipe = pipe(id);
            if (pipe.path("state").asText().equals(state)
                && pipe.path("observedGeneration").asLong() == pipe.path("generation").asLong()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("pipe " + id + " is " + pipe.path("state").asText() + " ("
            + pipe.path("stateReason").asText() + "), not " + state + ", after " + timeout);
    }

    private JsonNode send(String method, String path, JsonNode body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " "
                    + response.body());
            }
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
