package dev.ferry.common.sql;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The shape of a destination table: ferry's columns (the {@code doc} and {@code _peerdb_synced_at} types chosen by
 * the server's version), the mapping's typed columns with their ClickHouse types, the sorting key (ending with
 * {@code _id}), the partition expression and the {@code SETTINGS}. Renders {@code sql/create_table.sql}; names
 * must be plain identifiers, checked when the statement is made.
 */
public record TableLayout(String docType, String syncedAtType, List<Column> columns, List<String> orderBy,
                          String partitionBy, Map<String, String> settings) {

    /** A typed column: its name and its ClickHouse type as the server has it. */
    public record Column(String name, String type) {
    }

    public TableLayout {
        columns = List.copyOf(columns);
        orderBy = orderBy.isEmpty() ? List.of("_id") : List.copyOf(orderBy);
        partitionBy = partitionBy == null ? "" : partitionBy.trim();
        settings = new TreeMap<>(settings);
    }

    /** ClickPipes' table: no typed columns, sorted by {@code _id}, no partitions, the server's settings. */
    public static TableLayout plain(String docType, String syncedAtType) {
        return new TableLayout(docType, syncedAtType, List.of(), List.of(), "", Map.of());
    }

    /** {@code CREATE TABLE IF NOT EXISTS} of this layout. */
    public String createStatement(String database, String table) {
        String typed = columns.stream()
            .map(column -> ",\n    " + SqlTemplate.quotedIdentifier(column.name()) + " " + column.type())
            .collect(Collectors.joining());
        String orderByClause = orderBy.size() == 1 ? SqlTemplate.quotedIdentifier(orderBy.get(0))
            : orderBy.stream().map(SqlTemplate::quotedIdentifier).collect(Collectors.joining(", ", "(", ")"));
        String settingsClause = settings.isEmpty() ? "" : settings.entrySet().stream()
            .map(setting -> plain(setting.getKey()) + " = " + settingValue(setting.getValue()))
            .collect(Collectors.joining(", ", "SETTINGS ", ""));
        return SqlTemplate.load("create_table").render(Map.of("database", database, "table", table,
            "doc_type", docType, "synced_at_type", syncedAtType, "typed_columns_clause", typed,
            "partition_clause", partitionBy.isEmpty() ? "" : "PARTITION BY " + partitionBy + "\n",
            "order_by_clause", orderByClause, "settings_clause", settingsClause));
    }

    /** {@code ALTER TABLE ... ADD COLUMN} of one of this layout's typed columns. */
    public static String addColumnStatement(String database, String table, Column column) {
        return SqlTemplate.load("add_column").render(Map.of("database", database, "table", table,
            "column", column.name(), "column_type", column.type()));
    }

    private static String plain(String name) {
        if (!SqlTemplate.isPlainName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a plain name");
        }
        return name;
    }

    /** A setting's value: a number as it is, anything else as a string literal. */
    private static String settingValue(String value) {
        return value.matches("-?[0-9]+(\\.[0-9]+)?") ? value : SqlTemplate.stringLiteral(value);
    }
}
