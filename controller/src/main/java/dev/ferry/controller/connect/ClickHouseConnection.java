package dev.ferry.controller.connect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ferry.controller.pipe.DestinationSpec;

/**
 * Statements to a ClickHouse server over its HTTP interface, with the pipe's credentials and short timeouts; every
 * failure is a {@link DestinationException} classified by ClickHouse's error code, or by what the network did.
 */
final class ClickHouseConnection {

    /** ClickHouse's error text begins with its code: {@code Code: 60, e.displayText() = ...}. */
    private static final Pattern ERROR_CODE = Pattern.compile("^Code: (\\d+)");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DestinationSpec destination;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ClickHouseConnection(DestinationSpec destination) {
        this.destination = destination;
    }

    /** The server's whole answer to {@code sql}; a refusal is thrown. */
    String execute(String sql, Duration timeout) {
        HttpResponse<String> response = send(sql, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), timeout);
        if (response.statusCode() != 200) {
            throw refusal(response, response.body().lines().findFirst().orElse(""));
        }
        return response.body();
    }

    /** The server's answer to {@code sql}, line by line, as it streams in; a refusal is thrown. */
    void lines(String sql, Duration timeout, Consumer<String> line) {
        HttpResponse<InputStream> response = send(sql, HttpResponse.BodyHandlers.ofInputStream(), timeout);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                throw refusal(response, lines.readLine());
            }
            for (String next = lines.readLine(); next != null; next = lines.readLine()) {
                if (!next.isBlank()) {
                    line.accept(next);
                }
            }
        } catch (IOException e) {
            throw unreachable("reading an answer", e);
        }
    }

    /** The rows of {@code sql}, a query in {@code FORMAT JSONEachRow}, one JSON object each, as they stream in. */
    void jsonRows(String sql, Duration timeout, Consumer<JsonNode> row) {
        lines(sql, timeout, line -> {
            try {
                row.accept(JSON.readTree(line));
            } catch (JsonProcessingException e) {
                throw new DestinationException(DestinationException.Problem.REFUSED, 0, "ClickHouse at " + baseUrl()
                    + " answered a row that is not JSON: " + e.getOriginalMessage(), e);
            }
        });
    }

    private DestinationException refusal(HttpResponse<?> response, String firstLine) {
        int code = response.headers().firstValue("X-ClickHouse-Exception-Code").map(Integer::parseInt)
            .orElseGet(() -> {
                Matcher matcher = ERROR_CODE.matcher(firstLine == null ? "" : firstLine);
                return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
            });
        DestinationException refused = DestinationException.refused(code, response.statusCode(), "ClickHouse at "
            + baseUrl() + " refused a statement: " + (firstLine == null || firstLine.isBlank()
            ? "HTTP " + response.statusCode() : firstLine));
        if (refused.problem() == DestinationException.Problem.AUTH_FAILED) {
            return new DestinationException(DestinationException.Problem.AUTH_FAILED, code, "ClickHouse at " + baseUrl()
                + " refused the credentials; check destination.clickhouse.credentials", null);
        }
        return refused;
    }

    private <T> HttpResponse<T> send(String sql, HttpResponse.BodyHandler<T> body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/"))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8));
        if (destination.credentials().isPresent()) {
            String basic = destination.credentials().username() + ":" + destination.credentials().password().resolve();
            request.header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return http.send(request.build(), body);
        } catch (IOException e) {
            throw unreachable("a statement", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DestinationException(DestinationException.Problem.UNREACHABLE, 0, "interrupted while calling "
                + "ClickHouse", e);
        }
    }

    private DestinationException unreachable(String what, IOException e) {
        if (e instanceof HttpTimeoutException) {
            return new DestinationException(DestinationException.Problem.TIMEOUT, 0, "ClickHouse at " + baseUrl()
                + " did not answer " + what + " in time", e);
        }
        String why = e instanceof ConnectException ? "connection refused"
            : e.getMessage() == null ? "network error" : e.getMessage();
        return new DestinationException(DestinationException.Problem.UNREACHABLE, 0, "cannot reach ClickHouse at "
            + baseUrl() + ": " + why + ". Check destination.clickhouse.url (ClickHouse's HTTP port, usually 8123) "
            + "and that the server is up.", e);
    }

    private String baseUrl() {
        String url = destination.url();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
