package dev.ferry.controller.pipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.common.columns.ColumnType;
import dev.ferry.common.sql.SqlTemplate;
import dev.ferry.controller.pipe.TableMapping.ColumnMapping;

/**
 * Reads and checks a mapping's typed columns, sorting key and partition expression: every problem is reported at
 * once, with the field's path, before anything is created.
 */
final class TypedColumnRequests {

    /** ferry's own columns, which a typed column cannot be named. */
    private static final Set<String> RESERVED = Set.of("_id", "doc", "_peerdb_synced_at", "_peerdb_version",
        "_peerdb_is_deleted");
    private static final String COLUMN_EXAMPLE = "{\"name\": \"customer_id\", \"path\": \"customer.id\", "
        + "\"type\": \"String\"}";

    private TypedColumnRequests() {
    }

    /**
     * The {@code columns} at {@code path}; {@code existing}: the mapping's columns so far (a PATCH adds to them),
     * {@code excluded}: its excluded fields, which no column may take.
     */
    static List<ColumnMapping> columns(JsonNode node, String path, List<ColumnMapping> existing,
                                       List<String> excluded, List<String> problems) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.add(path + ": must be an array of typed columns, e.g. [" + COLUMN_EXAMPLE + "]");
            return List.of();
        }
        List<String> names = new ArrayList<>(existing.stream().map(ColumnMapping::name).toList());
        List<ColumnMapping> columns = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode column = node.get(i);
            String at = path + "[" + i + "]";
            if (!column.isObject()) {
                problems.add(at + ": must be an object such as " + COLUMN_EXAMPLE);
                continue;
            }
            String name = column.path("name").asText("");
            String fieldPath = column.path("path").asText("");
            String type = column.path("type").asText("");
            int before = problems.size();
            if (!SqlTemplate.isPlainName(name)) {
                problems.add(at + ".name: '" + name + "' is not a valid column name; use letters, digits and '_', "
                    + "not starting with a digit");
            } else if (RESERVED.contains(name)) {
                problems.add(at + ".name: '" + name + "' is one of ferry's own columns " + RESERVED);
            } else if (names.contains(name)) {
                problems.add(at + ".name: '" + name + "' is the name of another column of this table");
            }
            List<String> parts = List.of(fieldPath.split("\\.", -1));
            if (fieldPath.isEmpty() || parts.stream().anyMatch(part -> part.isEmpty() || part.startsWith("$"))) {
                problems.add(at + ".path: '" + fieldPath + "' is not a field path; give dotted names such as "
                    + "\"customer.id\"");
            } else {
                excludedBy(fieldPath, excluded).ifPresent(field -> problems.add(at + ".path: '" + fieldPath
                    + "' is left out by excludeFields (" + field + "); a typed column cannot take an excluded field"));
            }
            try {
                ColumnType.parse(type);
            } catch (IllegalArgumentException e) {
                problems.add(at + ".type: " + e.getMessage());
            }
            if (problems.size() == before) {
                names.add(name);
                columns.add(new ColumnMapping(name, fieldPath, type.trim()));
            }
        }
        return columns;
    }

    /** The excluded field that covers {@code path}: the same field or one above it. */
    private static Optional<String> excludedBy(String path, List<String> excluded) {
        return excluded.stream().filter(field -> path.equals(field) || path.startsWith(field + ".")).findFirst();
    }

    /** The sorting key at {@code path}: typed columns that cannot be null or arrays, ending with {@code _id}. */
    static List<String> orderBy(JsonNode node, String path, List<ColumnMapping> columns, List<String> problems) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.isEmpty()) {
            problems.add(path + ": must be a non-empty array of column names ending with \"_id\", e.g. "
                + "[\"customer_id\", \"_id\"]");
            return List.of();
        }
        List<String> key = new ArrayList<>();
        for (JsonNode element : node) {
            key.add(element.asText(""));
        }
        if (!key.get(key.size() - 1).equals("_id")) {
            problems.add(path + ": the sorting key must end with \"_id\", which tells one document's row from "
                + "another's; e.g. " + withId(key));
        }
        for (int i = 0; i < key.size() - 1; i++) {
            String name = key.get(i);
            Optional<ColumnMapping> column = columns.stream().filter(c -> c.name().equals(name)).findFirst();
            if (name.equals("_id")) {
                problems.add(path + "[" + i + "]: _id comes last in the sorting key");
            } else if (column.isEmpty()) {
                problems.add(path + "[" + i + "]: '" + name + "' is not a typed column of this table; add it to "
                    + "columns first");
            } else if (!ColumnType.parse(column.get().type()).sortable()) {
                problems.add(path + "[" + i + "]: '" + name + "' is " + column.get().type() + "; a sorting key "
                    + "takes neither Nullable nor Array columns");
            } else if (key.indexOf(name) != i) {
                problems.add(path + "[" + i + "]: '" + name + "' is in the sorting key twice");
            }
        }
        return key;
    }

    private static String withId(List<String> key) {
        List<String> fixed = new ArrayList<>(key);
        fixed.remove("_id");
        fixed.add("_id");
        return fixed.toString();
    }

    /** The partition expression at {@code path}, naming only typed columns (or {@code _id}). */
    static String partitionBy(JsonNode node, String path, List<ColumnMapping> columns, List<String> problems) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            problems.add(path + ": must be an expression over typed columns, e.g. \"toYYYYMM(created)\"");
            return "";
        }
        String expression = node.asText().trim();
        try {
            List<String> unknown = PartitionExpression.columnsOf(expression).stream()
                .filter(name -> !name.equals("_id") && columns.stream().noneMatch(c -> c.name().equals(name)))
                .toList();
            if (!unknown.isEmpty()) {
                problems.add(path + ": '" + expression + "' names " + String.join(", ", unknown) + ", not "
                    + (unknown.size() == 1 ? "a typed column" : "typed columns") + " of this table; a partition "
                    + "expression takes the table's typed columns");
            }
        } catch (IllegalArgumentException e) {
            problems.add(path + ": '" + expression + "': " + e.getMessage());
        }
        return expression;
    }
}
