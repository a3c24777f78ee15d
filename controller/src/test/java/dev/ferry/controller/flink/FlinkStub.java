package dev.ferry.controller.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.apache.flink.runtime.rest.messages.ErrorResponseBody;
import org.apache.flink.runtime.rest.messages.ResponseBody;
import org.apache.flink.runtime.rest.util.RestMapperUtils;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for a Flink cluster's REST endpoint (as the operator's tests stub theirs): it answers each request
 * whose method and path match a route with the response body given, written by Flink's own REST mapper so that
 * Flink's client reads it as it reads a cluster's, and records what it was asked.
 */
final class FlinkStub implements AutoCloseable {

    /** An answer: an HTTP status and a JSON body, as Flink writes its REST messages. */
    record Answer(int status, String json) {

        static Answer ok(ResponseBody body) {
            return ok(FlinkStub.json(body));
        }

        static Answer ok(String json) {
            return new Answer(200, json);
        }

        static Answer error(int status, String message) {
            return new Answer(status, FlinkStub.json(new ErrorResponseBody(message)));
        }
    }

    private final HttpServer server;
    private final Map<String, List<Answer>> routes = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    FlinkStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URL url() {
        try {
            return new URL("http://127.0.0.1:" + server.getAddress().getPort());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Answers requests of {@code method} to paths matching {@code path} (a regular expression, without Flink's
     * {@code /v1} prefix) with {@code answers}, one per request, the last one from then on.
     */
    FlinkStub on(String method, String path, Answer... answers) {
        routes.put(method + " " + path, new ArrayList<>(List.of(answers)));
        return this;
    }

    /** Each request so far, as "METHOD /path". */
    List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath().replaceFirst("^/v1", "");
        String request = exchange.getRequestMethod() + " " + path;
        requests.add(request);
        Answer answer = routes.entrySet().stream()
            .filter(route -> Pattern.matches(route.getKey(), request))
            .map(route -> route.getValue().size() > 1 ? route.getValue().remove(0) : route.getValue().get(0))
            .findFirst().orElse(Answer.error(404, "no route for " + request));
        byte[] body = answer.json().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** A REST message as Flink's own REST mapper writes it. */
    static String json(ResponseBody body) {
        try {
            return RestMapperUtils.getStrictObjectMapper().writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
