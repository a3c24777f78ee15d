package dev.ferry.controller.connect;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.ferry.common.sql.SqlTemplate;
import dev.ferry.controller.api.ApiException;
import dev.ferry.controller.pipe.PipeRequest;

/**
 * A pipe's destination over ClickHouse's HTTP interface: checks it, learns what its version supports, and creates
 * and drops the pipe's tables from the {@code sql/} templates.
 */
public final class ClickHouseDestination {

    private final PipeRequest.Destination destination;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ClickHouseDestination(PipeRequest.Destination destination) {
        this.destination = destination;
    }

    /** The server's version, e.g. {@code 18.16.1}; a 422 when it cannot be reached or refuses the credentials. */
    public ClickHouseVersion version() {
        return ClickHouseVersion.parse(query("SELECT version()").trim());
    }

    /** Checks that none of the target tables exists with rows in it: ferry fills empty tables only. */
    public void requireEmptyTargets(Iterable<String> tables) {
        for (String table : tables) {
            String exists = query("SELECT count() FROM system.tables WHERE database = '" + destination.database()
                + "' AND name = '" + table + "'").trim();
            if (!exists.equals("0")) {
                String rows = query("SELECT count() FROM `" + destination.database() + "`.`" + table + "`").trim();
                if (!rows.equals("0")) {
                    throw ApiException.conflict("destination table " + destination.database() + "." + table
                        + " already exists and holds " + rows + " rows; choose another targetTable or database, or "
                        + "drop the table");
                }
            }
        }
    }

    public void createDatabase() {
        execute(SqlTemplate.load("create_database").render(Map.of("database", destination.database())));
    }

    public void createTable(String table, String docType, String syncedAtType) {
        execute(SqlTemplate.load("create_table").render(Map.of("database", destination.database(), "table", table,
            "doc_type", docType, "synced_at_type", syncedAtType)));
    }

    public void dropTable(String table) {
        execute(SqlTemplate.load("drop_table").render(Map.of("database", destination.database(), "table", table)));
    }

    /**
     * Puts resynced tables in place of the originals in one multi-table {@code RENAME} (atomic, and available on
     * every ClickHouse version, unlike {@code EXCHANGE TABLES}), after carrying the originals' soft-deleted rows
     * over, then drops the originals. Safe to run again after an interruption.
     */
    public void swapInResyncTables(List<String> tables, String suffix) {
        String db = "`" + destination.database() + "`.";
        List<String> renames = new ArrayList<>();
        for (String table : tables) {
            String original = db + "`" + table + "`";
            String resynced = db + "`" + table + suffix + "`";
            if (!exists(table + suffix)) {
                continue;
            }
            if (exists(table)) {
                execute(SqlTemplate.load("carry_over_deleted_rows").render(Map.of("database", destination.database(),
                    "original", table, "resynced", table + suffix)));
                renames.add(original + " TO " + db + "`" + table + "_replaced`");
            }
            renames.add(resynced + " TO " + original);
        }
        if (!renames.isEmpty()) {
            // composed here rather than in sql/: one statement renames any number of pairs, and it must be one
            // statement so that readers never see a table missing
            execute("RENAME TABLE " + String.join(", ", renames));
        }
        for (String table : tables) {
            dropTable(table + "_replaced");
        }
    }

    private boolean exists(String table) {
        return !query("SELECT count() FROM system.tables WHERE database = '" + destination.database()
            + "' AND name = '" + table + "'").trim().equals("0");
    }

    /** When the table last received a row, as ClickHouse prints it, or null when it has none. */
    public String lastSyncedAt(String table) {
        String value = query("SELECT if(count() = 0, '', toString(max(_peerdb_synced_at))) FROM `"
            + destination.database() + "`.`" + table + "`").trim();
        return value.isEmpty() ? null : value;
    }

    /**
     * Streams the table's live rows as users query them ({@code FINAL}, not deleted) to {@code row}: each row's
     * {@code _id} and {@code doc} text (a {@code JSON} doc column's value as JSON text). When {@code ids} is not
     * null, only the rows with those ids.
     */
    public void liveRows(String table, List<String> ids, java.util.function.BiConsumer<String, String> row) {
        String where = "_peerdb_is_deleted = 0";
        if (ids != null) {
            where += " AND _id IN (" + String.join(", ", ids.stream().map(ClickHouseDestination::literal).toList()) + ")";
        }
        HttpResponse<java.io.InputStream> response = send("SELECT _id, doc FROM `" + destination.database() + "`.`"
            + table + "` FINAL WHERE " + where + " FORMAT JSONEachRow", HttpResponse.BodyHandlers.ofInputStream(),
            Duration.ofMinutes(10));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                throw ApiException.unprocessable("clickhouse_error", "ClickHouse at " + baseUrl() + " refused to read "
                    + table + ": " + lines.readLine());
            }
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    com.fasterxml.jackson.databind.JsonNode parsed = json.readTree(line);
                    com.fasterxml.jackson.databind.JsonNode doc = parsed.path("doc");
                    row.accept(parsed.path("_id").asText(), doc.isTextual() ? doc.asText() : doc.toString());
                }
            }
        } catch (IOException e) {
            throw ApiException.unprocessable("clickhouse_unreachable", "reading " + table + " from ClickHouse at "
                + baseUrl() + " failed: " + describe(e));
        }
    }

    /** The table's live row count ({@code FINAL}, not deleted). */
    public long liveRowCount(String table) {
        return Long.parseLong(query("SELECT count() FROM `" + destination.database() + "`.`" + table
            + "` FINAL WHERE _peerdb_is_deleted = 0").trim());
    }

    /** A ClickHouse string literal. */
    private static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private String query(String sql) {
        return execute(sql + " FORMAT TabSeparated");
    }

    private String execute(String sql) {
        HttpResponse<String> response = send(sql, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8),
            Duration.ofSeconds(30));
        if (response.statusCode() != 200) {
            throw ApiException.unprocessable("clickhouse_error", "ClickHouse at " + baseUrl() + " refused a statement: "
                + response.body().lines().findFirst().orElse("HTTP " + response.statusCode()));
        }
        return response.body();
    }

    /** Sends one statement; a 422 when the server cannot be reached or refuses the credentials. */
    private <T> HttpResponse<T> send(String sql, HttpResponse.BodyHandler<T> body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/"))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8));
        PipeRequest.Credentials credentials = destination.credentials();
        if (credentials != null && credentials.isPresent()) {
            String basic = credentials.username() + ":" + (credentials.password() == null ? "" : credentials.password());
            request.header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<T> response;
        try {
            response = http.send(request.build(), body);
        } catch (IOException e) {
            throw ApiException.unprocessable("clickhouse_unreachable", "cannot reach ClickHouse at " + baseUrl()
                + ": " + describe(e) + ". Check destination.clickhouse.url (ClickHouse's HTTP port, usually 8123) "
                + "and that the server is up.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling ClickHouse");
        }
        // ClickHouse names a refused login in the body (516, 192, 193) of an HTTP 500 on older servers
        String authCodes = response.headers().firstValue("X-ClickHouse-Exception-Code").orElse("");
        if (response.statusCode() == 401 || response.statusCode() == 403 || authCodes.equals("516")
            || authCodes.equals("192") || authCodes.equals("193")
            || (response.body() instanceof String text && (text.contains("Code: 516") || text.contains("Code: 192")
            || text.contains("Code: 193")))) {
            throw ApiException.unprocessable("clickhouse_auth_failed", "ClickHouse at " + baseUrl()
                + " refused the credentials; check destination.clickhouse.credentials");
        }
        return response;
    }

    private static String describe(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer within the timeout";
        }
        return e.getMessage() == null ? "network error" : e.getMessage();
    }

    private String baseUrl() {
        String url = destination.url();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
