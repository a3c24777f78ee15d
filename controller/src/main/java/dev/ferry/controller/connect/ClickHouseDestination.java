package dev.ferry.controller.connect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.common.sql.SqlTemplate;
import dev.ferry.common.sql.TableLayout;
import dev.ferry.controller.pipe.DestinationSpec;

/**
 * A pipe's destination over ClickHouse's HTTP interface: checks it, learns what its version supports, and creates
 * and drops the pipe's tables from the {@code sql/} templates. Refusals carry ClickHouse's error code.
 */
public final class ClickHouseDestination implements Destination {

    /** How long a statement may take; copying a table's deleted rows over in a swap may take longer. */
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(10);

    private final DestinationSpec destination;
    private final ClickHouseConnection connection;

    public ClickHouseDestination(DestinationSpec destination) {
        this.destination = destination;
        this.connection = new ClickHouseConnection(destination);
    }

    @Override
    public ClickHouseVersion version() {
        return ClickHouseVersion.parse(query("SELECT version()").trim());
    }

    @Override
    public Map<String, Long> tablesWithRows(Collection<String> tables) {
        Map<String, Long> withRows = new LinkedHashMap<>();
        for (String table : tables) {
            if (exists(table)) {
                long rows = Long.parseLong(query("SELECT count() FROM " + qualified(table)).trim());
                if (rows > 0) {
                    withRows.put(table, rows);
                }
            }
        }
        return withRows;
    }

    @Override
    public List<String> missingTables(Collection<String> tables) {
        List<String> existing = query("SELECT name FROM system.tables WHERE database = "
            + SqlTemplate.stringLiteral(database()))
            .lines().toList();
        return tables.stream().filter(table -> !existing.contains(table)).toList();
    }

    @Override
    public void createDatabase() {
        execute(SqlTemplate.load("create_database").render(Map.of("database", database())), STATEMENT_TIMEOUT);
    }

    @Override
    public void createTable(String table, TableLayout layout) {
        execute(layout.createStatement(database(), table), STATEMENT_TIMEOUT);
    }

    /** One {@code ALTER} per missing column: 18.16 has no {@code ADD COLUMN IF NOT EXISTS}. */
    @Override
    public void addMissingColumns(String table, List<TableLayout.Column> columns) {
        List<String> existing = query("SELECT name FROM system.columns WHERE database = "
            + SqlTemplate.stringLiteral(database()) + " AND table = " + SqlTemplate.stringLiteral(table)).lines().toList();
        for (TableLayout.Column column : columns) {
            if (!existing.contains(column.name())) {
                execute(TableLayout.addColumnStatement(database(), table, column), STATEMENT_TIMEOUT);
            }
        }
    }

    /**
     * The expression evaluated over one row of the columns' sample values, which the server checks as it would in
     * the table's DDL: names, functions and argument types. Should the sample row itself not be accepted (a type it
     * has no literal for), the expression is not tried.
     */
    @Override
    public Optional<String> partitionProblem(String expression, List<TableLayout.Column> columns) {
        String row = "SELECT " + String.join(", ", Stream.concat(Stream.of(
            "'' AS `_id`"), columns.stream().map(column -> sample(column.type()) + " AS "
            + SqlTemplate.quotedIdentifier(column.name()))).toList());
        if (refusalOf(row).isPresent()) {
            return Optional.empty();
        }
        return refusalOf("SELECT " + expression + " FROM (" + row + ")");
    }

    /** Why the server refuses the query, or empty when it answers it; other failures are thrown. */
    private Optional<String> refusalOf(String sql) {
        try {
            query(sql);
            return Optional.empty();
        } catch (DestinationException e) {
            if (e.problem() != DestinationException.Problem.REFUSED) {
                throw e;
            }
            return Optional.of(e.getMessage());
        }
    }

    /** A value of {@code type}: NULL, an empty array, a zero, an empty string or the year 2000. */
    private static String sample(String type) {
        String literal = type.startsWith("Nullable(") ? "NULL" : type.startsWith("Array(") ? "[]"
            : type.startsWith("String") ? "''" : type.startsWith("DateTime") ? "'2000-01-01 00:00:00'" : "0";
        return "CAST(" + literal + " AS " + type + ")";
    }

    @Override
    public List<String> unknownEngineSettings(Collection<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        Set<String> known = new HashSet<>(List.of(query("SELECT name FROM "
            + "system.merge_tree_settings").split("\n")));
        return names.stream().filter(name -> !known.contains(name)).sorted().toList();
    }

    @Override
    public void dropTable(String table) {
        execute(SqlTemplate.load("drop_table").render(Map.of("database", database(), "table", table)),
            STATEMENT_TIMEOUT);
    }

    /**
     * One multi-table {@code RENAME} (atomic, and available on every ClickHouse version, unlike
     * {@code EXCHANGE TABLES}) after the originals' soft-deleted rows are carried over; then the originals go.
     */
    @Override
    public void swapInResyncTables(List<String> tables, String suffix, boolean keepDeletes) {
        List<String> renames = new ArrayList<>();
        for (String table : tables) {
            if (!exists(table + suffix)) {
                continue;
            }
            if (exists(table)) {
                execute(SqlTemplate.load(keepDeletes ? "carry_over_gone_rows" : "carry_over_deleted_rows")
                    .render(Map.of("database", database(),
                    "original", table, "resynced", table + suffix)), COPY_TIMEOUT);
                renames.add(qualified(table) + " TO " + qualified(table + "_replaced"));
            }
            renames.add(qualified(table + suffix) + " TO " + qualified(table));
        }
        if (!renames.isEmpty()) {
            // composed here rather than in sql/: one statement renames any number of pairs, and it must be one
            // statement so that readers never see a table missing
            execute("RENAME TABLE " + String.join(", ", renames), STATEMENT_TIMEOUT);
        }
        for (String table : tables) {
            dropTable(table + "_replaced");
        }
    }

    private boolean exists(String table) {
        return !missingTables(List.of(table)).contains(table);
    }

    @Override
    public long liveRowCount(String table) {
        return Long.parseLong(query("SELECT count() FROM " + qualified(table) + " FINAL WHERE _peerdb_is_deleted = 0")
            .trim());
    }

    @Override
    public void liveRows(String table, List<String> ids, BiConsumer<String, String> row) {
        String where = "_peerdb_is_deleted = 0";
        if (ids != null) {
            where += " AND _id IN (" + String.join(", ", ids.stream().map(SqlTemplate::stringLiteral).toList()) + ")";
        }
        connection.jsonRows("SELECT _id, doc FROM " + qualified(table) + " FINAL WHERE " + where
            + " FORMAT JSONEachRow", READ_TIMEOUT, parsed -> {
                JsonNode doc = parsed.path("doc");
                row.accept(parsed.path("_id").asText(), doc.isTextual() ? doc.asText() : doc.toString());
            });
    }

    private String database() {
        return destination.database();
    }

    private String qualified(String table) {
        return "`" + database() + "`.`" + table + "`";
    }

    private String query(String sql) {
        return execute(sql + " FORMAT TabSeparated", STATEMENT_TIMEOUT);
    }

    private String execute(String sql, Duration timeout) {
        return connection.execute(sql, timeout);
    }
}
