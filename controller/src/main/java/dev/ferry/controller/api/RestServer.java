package dev.ferry.controller.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeSettings;
import dev.ferry.controller.service.PipeService;
import dev.ferry.controller.verify.VerifyReport;

/**
 * The controller's REST API on 127.0.0.1: JSON in, JSON out, and every refusal as
 * {@code {"error": {"code", "message"}}} with a 4xx status, never a stack trace.
 */
public final class RestServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RestServer.class);
    private static final Pattern TABLE_RESYNC_PATH = Pattern.compile("/v1/pipes/([^/]+)/tables/([^/]+)/resync/?");
    private static final Pattern PIPE_PATH = Pattern.compile("/v1/pipes/([^/]+)(/tables|/history|/state|/settings|/verify|/verify/progress)?/?");

    private final PipeService pipes;
    private final PipeViews views;
    private final ObjectMapper json;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);

    public RestServer(int port, PipeService pipes, ObjectMapper json) throws IOException {
        this.pipes = pipes;
        this.json = json;
        this.views = new PipeViews(json);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                respond(exchange, route(exchange));
            } catch (RuntimeException e) {
                Optional<ApiException> refusal = ApiException.of(e);
                if (refusal.isPresent()) {
                    respond(exchange, new Response(refusal.get().status(), views.error(refusal.get())));
                } else {
                    log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
                    respond(exchange, new Response(500, views.error(new ApiException(500, "internal_error",
                        "the controller could not complete the request: " + e.getMessage()))));
                }
            }
        }
    }

    private record Response(int status, JsonNode body) {
    }

    private Response route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/v1/pipes") || path.equals("/v1/pipes/")) {
            return switch (method) {
                case "GET" -> new Response(200, json.valueToTree(pipes.list().stream().map(this::view).toList()));
                case "POST" -> new Response(201, view(pipes.create(body(exchange))));
                default -> throw notAllowed(method, path);
            };
        }
        Matcher tableResync = TABLE_RESYNC_PATH.matcher(path);
        if (tableResync.matches()) {
            if (!method.equals("POST")) {
                throw notAllowed(method, path);
            }
            return new Response(202, view(pipes.resyncTable(URLDecoder.decode(tableResync.group(1), StandardCharsets.UTF_8),
                URLDecoder.decode(tableResync.group(2), StandardCharsets.UTF_8))));
        }
        Matcher matcher = PIPE_PATH.matcher(path);
        if (!matcher.matches()) {
            throw ApiException.notFound("no such endpoint: " + method + " " + path + "; see README.md for the API");
        }
        String id = URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
        String sub = matcher.group(2);
        if (sub == null) {
            return switch (method) {
                case "GET" -> new Response(200, view(pipes.get(id)));
                case "PATCH" -> new Response(202, view(pipes.modifyTables(id, body(exchange))));
                case "DELETE" -> {
                    pipes.delete(id, "true".equals(queryParameter(exchange, "dropTables")));
                    yield new Response(204, null);
                }
                default -> throw notAllowed(method, path);
            };
        }
        if (sub.equals("/settings")) {
            return switch (method) {
                case "GET" -> new Response(200, json.valueToTree(pipes.get(id).spec().settings()));
                case "PUT" -> new Response(202, view(pipes.updateSettings(id, PipeSettings.parse(body(exchange)))));
                default -> throw notAllowed(method, path);
            };
        }
        if (sub.equals("/state")) {
            if (!method.equals("PATCH")) {
                throw notAllowed(method, path);
            }
            JsonNode action = body(exchange).get("action");
            if (action == null || !action.isTextual()) {
                throw ApiException.badRequest("the body must be {\"action\": \"pause\" | \"resume\" | \"resync\"}");
            }
            return new Response(202, view(pipes.act(id, action.asText())));
        }
        if (!method.equals("GET")) {
            throw notAllowed(method, path);
        }
        if (sub.equals("/verify")) {
            VerifyReport report = pipes.verify(id, Optional.ofNullable(queryParameter(exchange, "table")));
            return new Response(200, json.valueToTree(report));
        }
        if (sub.equals("/verify/progress")) {
            return new Response(200, json.valueToTree(java.util.Map.of("tables", pipes.verifyProgress(id).tables())));
        }
        return sub.equals("/tables") ? new Response(200, views.tables(pipes.tables(id)))
            : new Response(200, views.history(pipes.history(id)));
    }

    private JsonNode view(Pipe pipe) {
        return views.pipe(pipe, pipes.dashboardUrl(pipe).orElse(null));
    }

    private JsonNode body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) {
                throw ApiException.badRequest("the request needs a JSON body");
            }
            return json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String queryParameter(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static ApiException notAllowed(String method, String path) {
        return new ApiException(405, "method_not_allowed", method + " is not supported on " + path);
    }

    private void respond(HttpExchange exchange, Response response) throws IOException {
        if (response.body() == null) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
