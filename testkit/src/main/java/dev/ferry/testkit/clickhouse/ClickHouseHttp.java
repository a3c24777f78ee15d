package dev.ferry.testkit.clickhouse;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Statements and queries against a ClickHouse server over its HTTP interface, for tests to set up and inspect
 * tables. Responses are never compressed: ClickHouse 18.16 answers a request for a compressed response with an
 * empty body.
 */
public final class ClickHouseHttp {

    private final String url;
    private final String authorization;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ClickHouseHttp(String url) {
        this(url, null);
    }

    private ClickHouseHttp(String url, String authorization) {
        this.url = url;
        this.authorization = authorization;
    }

    /** The same server, as another user. */
    public ClickHouseHttp as(String user, String password) {
        return new ClickHouseHttp(url, "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
            .getBytes(StandardCharsets.UTF_8)));
    }

    /** Runs a statement or query and returns the response body; throws with ClickHouse's message on failure. */
    public String execute(String sql) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url + "/?compress=0"))
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new ClickHouseException(sql, response.statusCode(), response.body().trim());
            }
            return response.body();
        } catch (IOException e) {
            throw new ClickHouseException(sql, 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException(sql, 0, "interrupted");
        }
    }

    /**
     * Sends {@code data} as the data of an {@code INSERT ... FORMAT ...} statement, which goes in the URL (ClickHouse
     * reads the statement from the query string and the rows from the body).
     */
    public void insert(String statement, byte[] data) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url + "/?compress=0&query="
                + URLEncoder.encode(statement, StandardCharsets.UTF_8)))
            .timeout(Duration.ofMinutes(5))
            .POST(HttpRequest.BodyPublishers.ofByteArray(data));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = client.send(builder.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new ClickHouseException(statement, response.statusCode(), response.body().trim());
            }
        } catch (IOException e) {
            throw new ClickHouseException(statement, 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException(statement, 0, "interrupted");
        }
    }

    /** The rows of a query in TabSeparated format, each split into its columns. */
    public List<List<String>> rows(String query) {
        String body = execute(query + " FORMAT TabSeparated");
        return body.lines().map(line -> Arrays.asList(line.split("\t", -1))).toList();
    }

    /** The single value of a one-row, one-column query. */
    public String value(String query) {
        return execute(query + " FORMAT TabSeparated").trim();
    }

    public boolean ping() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/ping")).timeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().startsWith("Ok.");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A statement ClickHouse refused, with its own message. */
    public static final class ClickHouseException extends RuntimeException {
        private final int status;

        ClickHouseException(String sql, int status, String message) {
            super("ClickHouse " + (status == 0 ? "unreachable" : "HTTP " + status) + ": " + message
                + " (statement: " + abbreviate(sql) + ")");
            this.status = status;
        }

        public int status() {
            return status;
        }

        private static String abbreviate(String sql) {
            return sql.length() <= 200 ? sql : sql.substring(0, 200) + "...";
        }
    }
}
