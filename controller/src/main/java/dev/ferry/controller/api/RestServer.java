package dev.ferry.controller.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ferry.controller.metrics.ControllerMetrics;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeSettings;
import dev.ferry.controller.pipe.UserAction;
import dev.ferry.controller.service.PipeService;
import dev.ferry.controller.service.Readiness;
import dev.ferry.controller.verify.VerifyReport;
import io.javalin.Javalin;
import io.javalin.event.HandlerMetaInfo;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.staticfiles.Location;
import io.javalin.router.EndpointNotFound;

/**
 * The controller's REST API, routed by Javalin: JSON in, JSON out, and every refusal as
 * {@code {"error": {"code", "message"}}} with a 4xx status, never a stack trace. Every request but the health
 * probes passes {@link ApiAccess} first; a body over {@link #MAX_BODY_BYTES} is refused with 413 before it is read
 * whole.
 */
public final class RestServer implements AutoCloseable {

    /** The largest request body taken: a pipe with hundreds of table mappings is far below it. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(RestServer.class);
    private static final Set<String> OPEN_PATHS = Set.of("/healthz", "/readyz", "/");
    private static final int DEFAULT_SYNCS = 100;
    private static final int DEFAULT_STEP_SECONDS = 60;

    private final PipeService pipes;
    private final Readiness readiness;
    private final ApiAccess access;
    private final PipeViews views;
    private final ObjectMapper json;
    private final Javalin app;
    private final Map<String, Set<String>> routes = new TreeMap<>();

    public RestServer(int port, ApiAccess access, PipeService pipes, Readiness readiness, ControllerMetrics metrics,
                      ApiDocument document, ObjectMapper json) {
        this.pipes = pipes;
        this.readiness = readiness;
        this.access = access;
        this.json = json;
        this.views = new PipeViews(json);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.router.ignoreTrailingSlashes = true;
            config.jetty.defaultHost = access.bindAddress();
            config.jetty.defaultPort = port;
            config.events.handlerAdded(this::remember);
            // the console: its page and scripts are open (they hold no data, and the page asks for the token the
            // API wants); Chart.js comes from its WebJar, nothing from the internet
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/console";
                files.location = Location.CLASSPATH;
                files.headers = Map.of("Cache-Control", "no-cache");
            });
            config.staticFiles.enableWebjars();
        });
        app.before(this::admit);
        app.get("/healthz", ctx -> respond(ctx, 200, json.createObjectNode().put("status", "ok")));
        app.get("/readyz", this::ready);
        app.get("/metrics", ctx -> {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            metrics.write(text);
            ctx.contentType(metrics.contentType()).result(text.toByteArray());
        });
        app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(document.json()));
        app.get("/v1/pipes", ctx -> respond(ctx, 200, json.valueToTree(pipes.list().stream().map(this::view).toList())));
        app.post("/v1/pipes", ctx -> respond(ctx, 201, view(pipes.create(body(ctx)))));
        app.get("/v1/pipes/{pipe}", ctx -> respond(ctx, 200, view(pipes.get(pipe(ctx)))));
        app.patch("/v1/pipes/{pipe}", ctx -> respond(ctx, 202, view(pipes.modifyTables(pipe(ctx), body(ctx)))));
        app.delete("/v1/pipes/{pipe}", ctx -> {
            pipes.delete(pipe(ctx), "true".equals(ctx.queryParam("dropTables")));
            ctx.status(204);
        });
        app.get("/v1/pipes/{pipe}/settings", ctx -> respond(ctx, 200,
            views.settings(pipes.get(pipe(ctx)).spec().settings())));
        app.put("/v1/pipes/{pipe}/settings", ctx -> {
            PipeSettings requested = PipeSettings.parse(body(ctx));
            PipeSettings current = pipes.get(pipe(ctx)).spec().settings();
            respond(ctx, 202, view(pipes.updateSettings(pipe(ctx), views.unmasked(requested, current))));
        });
        app.patch("/v1/pipes/{pipe}/state", ctx -> respond(ctx, 202, view(pipes.act(pipe(ctx), action(body(ctx))))));
        app.get("/v1/pipes/{pipe}/tables", ctx -> respond(ctx, 200, views.tables(pipes.tables(pipe(ctx)))));
        app.post("/v1/pipes/{pipe}/tables/{table}/resync", ctx -> respond(ctx, 202,
            view(pipes.resyncTable(pipe(ctx), ctx.pathParam("table")))));
        app.get("/v1/pipes/{pipe}/syncs", ctx -> respond(ctx, 200, views.syncs(pipes.syncs(pipe(ctx),
            instant(ctx, "since").orElse(Instant.EPOCH), number(ctx, "limit", DEFAULT_SYNCS)))));
        app.get("/v1/pipes/{pipe}/throughput", ctx -> respond(ctx, 200, views.throughput(pipes.throughput(pipe(ctx),
            instant(ctx, "since").orElseGet(() -> Instant.now().minus(Duration.ofHours(1))),
            Duration.ofSeconds(number(ctx, "step", DEFAULT_STEP_SECONDS))))));
        app.get("/v1/pipes/{pipe}/errors", ctx -> respond(ctx, 200, views.errors(pipes.errors(pipe(ctx)))));
        app.get("/v1/pipes/{pipe}/history", ctx -> respond(ctx, 200, views.history(pipes.history(pipe(ctx)))));
        app.post("/v1/sources/check", ctx -> respond(ctx, 200, views.databases(pipes.sourceDatabases(body(ctx)))));
        app.get("/v1/pipes/{pipe}/verify", ctx -> {
            VerifyReport report = pipes.verify(pipe(ctx), Optional.ofNullable(ctx.queryParam("table")));
            respond(ctx, 200, json.valueToTree(report));
        });
        app.get("/v1/pipes/{pipe}/verify/progress", ctx -> respond(ctx, 200,
            json.valueToTree(Map.of("tables", pipes.verifyProgress(pipe(ctx)).tables()))));
        app.exception(HttpResponseException.class, (e, ctx) -> refuse(ctx, translate(e, ctx)));
        app.exception(Exception.class, this::failed);
    }

    public void start() {
        app.start();
    }

    public int port() {
        return app.port();
    }

    /** Every path the server answers, by method, as registered (with {@code {param}} placeholders). */
    public Map<String, Set<String>> routes() {
        return Map.copyOf(routes);
    }

    private void remember(HandlerMetaInfo handler) {
        if (handler.getHttpMethod().isHttpMethod()) {
            routes.computeIfAbsent(handler.getHttpMethod().name(), method -> new TreeSet<>())
                .add(handler.getPath());
        }
    }

    private void admit(Context ctx) {
        if (!isOpen(ctx.path()) && !access.admits(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "unauthorized", "this controller requires a token: send 'Authorization: "
                + "Bearer <token>' with the token it was started with (the CLI sends FERRY_API_TOKEN)");
        }
        if (ctx.req().getContentLengthLong() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
    }

    /** The health probes and the console's files need no token. */
    private static boolean isOpen(String path) {
        return OPEN_PATHS.contains(path) || path.equals("/index.html") || path.startsWith("/assets/")
            || path.startsWith("/webjars/");
    }

    private void ready(Context ctx) {
        Readiness.Report report = readiness.check();
        respond(ctx, report.ready() ? 200 : 503, json.valueToTree(report));
    }

    private static String pipe(Context ctx) {
        return ctx.pathParam("pipe");
    }

    /** A query parameter holding an ISO-8601 time, when given. */
    private static Optional<Instant> instant(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + "=" + value + " is not an ISO-8601 time; write it like "
                + "2026-12-07T10:00:00Z");
        }
    }

    /** A query parameter holding a whole number, or {@code fallback} when not given. */
    private static int number(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + "=" + value + " is not a whole number");
        }
    }

    private static UserAction action(JsonNode body) {
        JsonNode action = body.get("action");
        if (action == null || !action.isTextual()) {
            throw ApiException.badRequest("the body must be {\"action\": \"pause\" | \"resume\" | \"resync\"}");
        }
        return UserAction.ofStateRequest(action.asText());
    }

    private JsonNode view(Pipe pipe) {
        return views.pipe(pipe, pipes.dashboardUrl(pipe).orElse(null), pipes.syncObservation(pipe));
    }

    /** The JSON body, read up to one byte past the limit (a body sent in chunks has no length to check first). */
    private JsonNode body(Context ctx) throws IOException {
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            throw ApiException.badRequest("the request needs a JSON body");
        }
        try {
            return json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "payload_too_large", "the request body is over " + MAX_BODY_BYTES
            + " bytes; a pipe's definition fits in far less: send the pipe without embedded data");
    }

    private static ApiException translate(HttpResponseException e, Context ctx) {
        if (e instanceof EndpointNotFound) {
            return ApiException.notFound("no such endpoint: " + ctx.method() + " " + ctx.path()
                + "; GET /openapi.json lists the API");
        }
        if (e instanceof MethodNotAllowedResponse) {
            return new ApiException(405, "method_not_allowed", ctx.method() + " is not supported on " + ctx.path());
        }
        if (e.getStatus() == 413) {
            return tooLarge();
        }
        return new ApiException(e.getStatus(), "bad_request", e.getMessage());
    }

    private void failed(Exception e, Context ctx) {
        Optional<ApiException> refusal = e instanceof RuntimeException runtime ? ApiException.of(runtime)
            : Optional.empty();
        if (refusal.isPresent()) {
            refuse(ctx, refusal.get());
            return;
        }
        log.error("{} {} failed", ctx.method(), ctx.path(), e);
        refuse(ctx, new ApiException(500, "internal_error", "the controller could not complete the request: "
            + e.getMessage()));
    }

    private void refuse(Context ctx, ApiException refusal) {
        respond(ctx, refusal.status(), views.error(refusal));
    }

    private void respond(Context ctx, int status, JsonNode body) {
        try {
            ctx.status(status).contentType("application/json").result(json.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
