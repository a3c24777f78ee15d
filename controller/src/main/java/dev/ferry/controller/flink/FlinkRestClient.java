package dev.ferry.controller.flink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The controller's only way to Flink: its REST API, the same for the embedded cluster and a remote session
 * cluster. Upload a job jar, run it, read a job's status and failure, cancel it.
 */
public final class FlinkRestClient {

    private final String baseUrl;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FlinkRestClient(String baseUrl, ObjectMapper json) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.json = json;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public boolean isUp() {
        try {
            return send(HttpRequest.newBuilder(uri("/overview")).GET()).statusCode() == 200;
        } catch (FlinkRestException e) {
            return false;
        }
    }

    /** Uploads a job jar ({@code POST /jars/upload}) and returns its id on the cluster. */
    public String uploadJar(Path jar) {
        String boundary = "ferry-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FlinkRestException("cannot read the job jar " + jar + ": " + e.getMessage());
        }
        JsonNode reply = expectJson(HttpRequest.newBuilder(uri("/jars/upload"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), 200);
        String filename = reply.path("filename").asText();
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    /** Runs an uploaded jar ({@code POST /jars/:id/run}), optionally from a savepoint, and returns the job id. */
    public String runJar(String jarId, String entryClass, List<String> arguments, Optional<String> savepoint) {
        ObjectNode request = json.createObjectNode();
        request.put("entryClass", entryClass);
        request.set("programArgsList", json.valueToTree(arguments));
        savepoint.ifPresent(path -> request.put("savepointPath", path)
            // the state of tables removed from the pipe has no operator left to take it
            .put("allowNonRestoredState", true));
        JsonNode reply = expectJson(HttpRequest.newBuilder(uri("/jars/" + jarId + "/run"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(request.toString())), 200);
        return reply.path("jobid").asText();
    }

    /** The job's status, or empty when the cluster does not know the job. */
    public Optional<FlinkJobStatus> job(String jobId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/jobs/" + jobId)).GET());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        JsonNode job = parse(response, 200);
        List<FlinkJobStatus.Vertex> vertices = new ArrayList<>();
        for (JsonNode vertex : job.path("vertices")) {
            vertices.add(new FlinkJobStatus.Vertex(vertex.path("id").asText(), vertex.path("name").asText(),
                vertex.path("status").asText(),
                vertex.path("metrics").path("write-records").asLong()));
        }
        return Optional.of(new FlinkJobStatus(jobId, job.path("state").asText(), job.path("start-time").asLong(),
            vertices, health(jobId)));
    }

    private FlinkJobStatus.Health health(String jobId) {
        HttpResponse<String> exceptions = send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/exceptions")).GET());
        HttpResponse<String> checkpoints = send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/checkpoints")).GET());
        if (exceptions.statusCode() != 200 || checkpoints.statusCode() != 200) {
            return FlinkJobStatus.Health.UNKNOWN;
        }
        long lastException = 0;
        String name = null;
        String trace = "";
        for (JsonNode entry : parse(exceptions, 200).path("exceptionHistory").path("entries")) {
            if (entry.path("timestamp").asLong() > lastException) {
                lastException = entry.path("timestamp").asLong();
                trace = entry.path("stacktrace").asText("");
                name = rootCause(trace, entry.path("exceptionName").asText(null));
            }
        }
        long lastCheckpoint = parse(checkpoints, 200).path("latest").path("completed").path("latest_ack_timestamp")
            .asLong(0);
        return new FlinkJobStatus.Health(lastException, name, trace, lastCheckpoint);
    }

    /** The deepest "Caused by" of a stack trace, shortened: what actually went wrong. */
    private static String rootCause(String stackTrace, String fallback) {
        String cause = stackTrace.lines().filter(line -> line.startsWith("Caused by: "))
            .map(line -> line.substring("Caused by: ".length()))
            .filter(line -> !line.startsWith("[CIRCULAR REFERENCE"))
            .reduce((a, b) -> b).orElse(fallback);
        return cause == null || cause.length() <= 240 ? cause : cause.substring(0, 240) + "...";
    }

    /** The job's user accumulators (ferry's change counters); only the tables view needs them. */
    public Map<String, Long> accumulators(String jobId) {
        Map<String, Long> accumulators = new HashMap<>();
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/accumulators")).GET());
        if (response.statusCode() != 200) {
            return accumulators;
        }
        for (JsonNode accumulator : parse(response, 200).path("user-task-accumulators")) {
            try {
                accumulators.put(accumulator.path("name").asText(), Long.parseLong(accumulator.path("value").asText()));
            } catch (NumberFormatException e) {
                // not one of ferry's counters
            }
        }
        return accumulators;
    }

    /**
     * The largest value of a gauge across a vertex's subtasks, or empty while the vertex does not report it. The
     * gauge is found by the end of its id, since Flink prefixes an operator's metrics with the operator's name.
     */
    public OptionalLong gaugeMax(String jobId, String vertexId, String metric) {
        String path = "/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics";
        HttpResponse<String> listing = send(HttpRequest.newBuilder(uri(path)).GET());
        if (listing.statusCode() != 200) {
            return OptionalLong.empty();
        }
        Optional<String> id = StreamSupport.stream(parse(listing, 200).spliterator(), false)
            .map(entry -> entry.path("id").asText())
            .filter(name -> name.equals(metric) || name.endsWith("." + metric))
            .findFirst();
        if (id.isEmpty()) {
            return OptionalLong.empty();
        }
        HttpResponse<String> values = send(HttpRequest.newBuilder(uri(path + "?agg=max&get="
            + URLEncoder.encode(id.get(), StandardCharsets.UTF_8))).GET());
        if (values.statusCode() != 200) {
            return OptionalLong.empty();
        }
        for (JsonNode entry : parse(values, 200)) {
            if (entry.path("max").isNumber()) {
                return OptionalLong.of((long) entry.path("max").asDouble());
            }
        }
        return OptionalLong.empty();
    }

    /** The root cause Flink recorded for a failed job, in one line. */
    public String failureCause(String jobId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/exceptions")).GET());
        if (response.statusCode() != 200) {
            return "unknown (Flink answered " + response.statusCode() + ")";
        }
        String trace = parse(response, 200).path("root-exception").asText("");
        return trace.lines().findFirst().orElse("unknown");
    }

    /** How a savepoint triggered by {@link #stopWithSavepoint} is coming along. */
    public record SavepointStatus(boolean inProgress, String location, String failure) {
    }

    /** Stops the job with a savepoint in the cluster's savepoint directory; returns the trigger id to poll. */
    public String stopWithSavepoint(String jobId) {
        JsonNode reply = expectJson(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/stop"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"drain\": false}")), 202);
        return reply.path("request-id").asText();
    }

    public SavepointStatus savepoint(String jobId, String triggerId) {
        JsonNode reply = expectJson(HttpRequest.newBuilder(uri("/jobs/" + jobId + "/savepoints/" + triggerId)).GET(),
            200);
        if (!reply.path("status").path("id").asText().equals("COMPLETED")) {
            return new SavepointStatus(true, null, null);
        }
        JsonNode operation = reply.path("operation");
        if (operation.hasNonNull("location")) {
            return new SavepointStatus(false, operation.get("location").asText(), null);
        }
        String cause = operation.path("failure-cause").path("stack-trace").asText("unknown cause");
        return new SavepointStatus(false, null, cause.lines().findFirst().orElse(cause));
    }

    /** Cancels the job; a job that has already stopped, or that Flink no longer knows, counts as cancelled. */
    public void cancel(String jobId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
            .method("PATCH", HttpRequest.BodyPublishers.noBody()));
        // 404: Flink no longer knows the job; 409: it has already stopped (a paused pipe's job, say)
        if (response.statusCode() != 202 && response.statusCode() != 404 && response.statusCode() != 409) {
            throw new FlinkRestException("Flink refused to cancel job " + jobId + ": HTTP " + response.statusCode()
                + " " + response.body());
        }
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private JsonNode expectJson(HttpRequest.Builder request, int status) {
        return parse(send(request), status);
    }

    private JsonNode parse(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new FlinkRestException("Flink REST answered HTTP " + response.statusCode() + ": "
                + errors(response.body()));
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new FlinkRestException("Flink REST answered something that is not JSON: " + response.body());
        }
    }

    /** Flink's error in two lines: what failed, and the deepest cause it names. */
    private String errors(String body) {
        try {
            JsonNode errors = json.readTree(body).path("errors");
            if (!errors.isArray() || errors.isEmpty()) {
                return body;
            }
            List<String> lines = errors.get(errors.size() - 1).asText().lines().toList();
            String cause = lines.stream().filter(line -> line.startsWith("Caused by:")).reduce((a, b) -> b).orElse("");
            return lines.isEmpty() ? body : (lines.get(0) + (cause.isEmpty() ? "" : " " + cause)).trim();
        } catch (IOException e) {
            return body;
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FlinkRestException("cannot reach Flink at " + baseUrl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkRestException("interrupted while calling Flink");
        }
    }

    /** Flink could not be reached or refused a request. */
    public static final class FlinkRestException extends RuntimeException {
        public FlinkRestException(String message) {
            super(message);
        }
    }
}
