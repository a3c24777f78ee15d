package dev.ferry.controller;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook for alerts, as a user would run one: an HTTP server on loopback that keeps every JSON body it accepts.
 * It can refuse its first requests with 503, as a receiver that is briefly down.
 */
final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusalsLeft;
    private final ObjectMapper json = new ObjectMapper();

    private WebhookReceiver(int refusals) throws IOException {
        this.refusalsLeft = new AtomicInteger(refusals);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                byte[] bytes = body.readAllBytes();
                if (refusalsLeft.getAndDecrement() > 0) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                accepted.add(json.readTree(bytes));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        server.start();
    }

    /** A receiver that answers its first {@code refusals} requests with 503. */
    static WebhookReceiver refusingFirst(int refusals) throws IOException {
        return new WebhookReceiver(refusals);
    }

    /** Its URL, with a token in the path as hosted webhooks have. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/t0k3n";
    }

    /** The states announced for {@code pipe}, in the order they arrived. */
    List<String> statesOf(String pipe) {
        return accepted.stream().filter(alert -> alert.path("pipe").asText().equals(pipe))
            .map(alert -> alert.path("to").asText()).toList();
    }

    List<JsonNode> accepted() {
        return List.copyOf(accepted);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
