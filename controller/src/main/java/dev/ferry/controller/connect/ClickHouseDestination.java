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

import dev.ferry.controller.api.ApiException;
import dev.ferry.controller.pipe.PipeRequest;
import dev.ferry.job.clickhouse.SqlTemplate;

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
        execute("DROP TABLE IF EXISTS `" + destination.database() + "`.`" + table + "`");
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
                execute("INSERT INTO " + resynced + " SELECT * FROM " + original + " FINAL WHERE _peerdb_is_deleted = 1 "
                    + "AND _id NOT IN (SELECT _id FROM " + resynced + ")");
                renames.add(original + " TO " + db + "`" + table + "_replaced`");
            }
            renames.add(resynced + " TO " + original);
        }
        if (!renames.isEmpty()) {
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

    private String query(String sql) {
        return execute(sql + " FORMAT TabSeparated");
    }

    private String execute(String sql) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8));
        PipeRequest.Credentials credentials = destination.credentials();
        if (credentials != null && credentials.isPresent()) {
            String basic = credentials.username() + ":" + (credentials.password() == null ? "" : credentials.password());
            request.header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw ApiException.unprocessable("clickhouse_unreachable", "cannot reach ClickHouse at " + baseUrl()
                + ": " + describe(e) + ". Check destination.clickhouse.url (ClickHouse's HTTP port, usually 8123) "
                + "and that the server is up.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling ClickHouse");
        }
        if (response.statusCode() == 401 || response.statusCode() == 403
            || response.body().contains("Code: 516") || response.body().contains("Code: 192")
            || response.body().contains("Code: 193")) {
            throw ApiException.unprocessable("clickhouse_auth_failed", "ClickHouse at " + baseUrl()
                + " refused the credentials; check destination.clickhouse.credentials");
        }
        if (response.statusCode() != 200) {
            throw ApiException.unprocessable("clickhouse_error", "ClickHouse at " + baseUrl() + " refused a statement: "
                + response.body().lines().findFirst().orElse("HTTP " + response.statusCode()));
        }
        return response.body();
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
