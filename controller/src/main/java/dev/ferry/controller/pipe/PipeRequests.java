package dev.ferry.controller.pipe;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.mongodb.ConnectionString;

import dev.ferry.common.Secret;
import dev.ferry.common.sql.SqlTemplate;
import dev.ferry.controller.connect.Secrets;

/**
 * Reads the JSON bodies of the API into specs, field by field: every problem is reported at once, with the field's
 * path and what a valid value looks like.
 */
public final class PipeRequests {

    private static final Pattern SETTING_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern PIPE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private PipeRequests() {
    }

    /** The spec of a new pipe ({@code POST /v1/pipes}). */
    public static PipeSpec newPipe(JsonNode body) {
        List<String> problems = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("the request body must be a JSON object with name, source, "
                + "destination and tableMappings");
        }
        String name = text(body, "name", "name", problems);
        if (name != null && !PIPE_NAME.matcher(name).matches()) {
            problems.add("name: '" + name + "' is not valid; use 1-64 letters, digits, '-' or '_', starting with a "
                + "letter or digit");
        }
        SourceSpec source = source(body.path("source").path("mongodb"), problems);
        DestinationSpec destination = destination(body.path("destination").path("clickhouse"), problems);
        List<TableMapping> mappings = mappings(body.get("tableMappings"), "tableMappings", problems);
        PipeSettings settings = PipeSettings.parse(body.get("settings"), problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return PipeSpec.of(name, source, destination, mappings, settings);
    }

    /** A source to look at before a pipe is made of it ({@code POST /v1/sources/check}: {@code {"source": ...}}). */
    public static SourceSpec sourceToCheck(JsonNode body) {
        List<String> problems = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("the request body must be {\"source\": {\"mongodb\": {\"uri\": ...}}}");
        }
        SourceSpec source = source(body.path("source").path("mongodb"), problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return source;
    }

    private static SourceSpec source(JsonNode mongodb, List<String> problems) {
        if (mongodb.isMissingNode()) {
            problems.add("source.mongodb: required, e.g. {\"uri\": \"mongodb://host:27017/?replicaSet=rs0\"}");
            return null;
        }
        String uri = text(mongodb, "uri", "source.mongodb.uri", problems);
        if (uri != null) {
            try {
                new ConnectionString(uri);
            } catch (IllegalArgumentException e) {
                problems.add("source.mongodb.uri: not a MongoDB connection string (" + Secrets.redact(e.getMessage())
                    + "); expected mongodb://host:port/?replicaSet=NAME or mongodb+srv://host");
            }
        }
        return new SourceSpec(uri, optionalText(mongodb, "readPreference"),
            credentials(mongodb.get("credentials"), "source.mongodb", problems));
    }

    private static DestinationSpec destination(JsonNode clickhouse, List<String> problems) {
        if (clickhouse.isMissingNode()) {
            problems.add("destination.clickhouse: required, e.g. {\"url\": \"http://host:8123\", \"database\": \"db\"}");
            return null;
        }
        String url = text(clickhouse, "url", "destination.clickhouse.url", problems);
        if (url != null && !url.matches("https?://[^/\\s:]+(:\\d+)?/?")) {
            problems.add("destination.clickhouse.url: '" + url + "' is not ClickHouse's HTTP endpoint; expected "
                + "http://host:8123");
        }
        String database = text(clickhouse, "database", "destination.clickhouse.database", problems);
        if (database != null && !SqlTemplate.isPlainName(database)) {
            problems.add("destination.clickhouse.database: '" + database + "' is not a valid name; use letters, "
                + "digits and '_', not starting with a digit");
        }
        return new DestinationSpec(url, database, credentials(clickhouse.get("credentials"), "destination.clickhouse",
            problems));
    }

    private static Credentials credentials(JsonNode node, String path, List<String> problems) {
        if (node == null || node.isNull()) {
            return Credentials.NONE;
        }
        String username = text(node, "username", path + ".credentials.username", problems);
        return new Credentials(username, secret(node.get("password"), path + ".credentials.password", problems));
    }

    /**
     * A password: the value, or where to read it wherever ferry connects ({@code {"fromEnv": "NAME"}},
     * {@code {"fromFile": "/path"}}), so that it is never written down.
     */
    private static Secret secret(JsonNode node, String path, List<String> problems) {
        if (node == null || node.isNull()) {
            return Secret.NONE;
        }
        if (node.isTextual()) {
            return Secret.of(node.asText());
        }
        if (node.isObject() && node.size() == 1 && node.path("fromEnv").isTextual()) {
            return Secret.fromEnv(node.get("fromEnv").asText());
        }
        if (node.isObject() && node.size() == 1 && node.path("fromFile").isTextual()) {
            return Secret.fromFile(node.get("fromFile").asText());
        }
        problems.add(path + ": a string, or {\"fromEnv\": \"VARIABLE\"} or {\"fromFile\": \"/path\"} to read it "
            + "where ferry connects");
        return Secret.NONE;
    }

    /** Reads and checks an array of table mappings at {@code field}; problems name each mapping's path. */
    public static List<TableMapping> mappings(JsonNode node, String field, List<String> problems) {
        List<TableMapping> mappings = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            problems.add(field + ": required, a non-empty array of {sourceDatabaseName, sourceCollection, "
                + "targetTable?}");
            return mappings;
        }
        Set<String> targets = new HashSet<>();
        Set<String> sources = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode mapping = node.get(i);
            String path = field + "[" + i + "]";
            String db = text(mapping, "sourceDatabaseName", path + ".sourceDatabaseName", problems);
            String collection = text(mapping, "sourceCollection", path + ".sourceCollection", problems);
            String target = optionalText(mapping, "targetTable");
            if (target == null) {
                target = collection;
            }
            if (target != null && !SqlTemplate.isPlainName(target)) {
                problems.add(path + ".targetTable: '" + target + "' is not a valid ClickHouse table name; use "
                    + "letters, digits and '_' (set targetTable when the collection's name has other characters)");
            }
            if (target != null && !targets.add(target)) {
                problems.add(path + ".targetTable: '" + target + "' is used by another mapping; each collection "
                    + "needs a table of its own");
            }
            if (db != null && collection != null && !sources.add(db + "." + collection)) {
                problems.add(path + ": " + db + "." + collection + " is mapped twice");
            }
            List<String> excluded = excludeFields(mapping.get("excludeFields"), path + ".excludeFields", problems);
            List<TableMapping.ColumnMapping> columns = TypedColumnRequests.columns(mapping.get("columns"),
                path + ".columns", List.of(), excluded, problems);
            mappings.add(new TableMapping(db, collection, target, excluded, engineSettings(mapping.get("engineSettings"),
                path + ".engineSettings", problems), columns,
                TypedColumnRequests.orderBy(mapping.get("orderBy"), path + ".orderBy", columns, problems),
                TypedColumnRequests.partitionBy(mapping.get("partitionBy"), path + ".partitionBy", columns, problems)));
        }
        return mappings;
    }

    /**
     * Reads {@code updateTableMappings}: per mapped collection, typed columns to add to its table. Only columns can
     * be added: the sorting key, partitions, settings and exclusions of a table are fixed when it is created. A
     * request may repeat what the mapping has (a client sends back the mapping it read, with a column more): what
     * is unchanged is taken as it is, and only what would change is refused.
     *
     * @return the columns to add, by target table
     */
    public static Map<String, List<TableMapping.ColumnMapping>> columnAdditions(JsonNode node,
                                                                                         PipeSpec spec,
                                                                                         List<String> problems) {
        Map<String, List<TableMapping.ColumnMapping>> additions = new LinkedHashMap<>();
        if (!node.isArray() || node.isEmpty()) {
            problems.add("updateTableMappings: must be a non-empty array of {sourceDatabaseName, sourceCollection, "
                + "columns}");
            return additions;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode update = node.get(i);
            String path = "updateTableMappings[" + i + "]";
            String db = update.path("sourceDatabaseName").asText("");
            String collection = update.path("sourceCollection").asText("");
            Optional<TableMapping> mapping = spec.tableMappings().stream()
                .filter(m -> m.sourceDatabaseName().equals(db) && m.sourceCollection().equals(collection))
                .findFirst();
            if (mapping.isEmpty()) {
                problems.add(path + ": " + db + "." + collection + " is not mapped by this pipe");
                continue;
            }
            List<String> changed = changedFixedFields(update, mapping.get());
            if (!changed.isEmpty()) {
                problems.add(path + ": only columns can be added to an existing mapping; " + String.join(", ", changed)
                    + " of a table are fixed when it is created (remove the mapping and add it again to change them)");
            } else if (!update.path("columns").isArray() || update.path("columns").isEmpty()) {
                problems.add(path + ".columns: required, the typed columns to add");
            } else if (additions.containsKey(mapping.get().targetTable())) {
                problems.add(path + ": " + db + "." + collection + " is updated twice");
            } else {
                int before = problems.size();
                JsonNode added = newColumns(update.get("columns"), path + ".columns", mapping.get(), problems);
                if (added.isEmpty() && problems.size() == before) {
                    problems.add(path + ".columns: the table has every column given already; give a new one");
                }
                additions.put(mapping.get().targetTable(), TypedColumnRequests.columns(added, path + ".columns",
                    mapping.get().columns(), mapping.get().excludeFields(), problems));
            }
        }
        return additions;
    }

    /** The fields of an update, other than its mapping's name and columns, whose values differ from the mapping's. */
    private static List<String> changedFixedFields(JsonNode update, TableMapping mapping) {
        List<String> changed = new ArrayList<>();
        update.fieldNames().forEachRemaining(field -> {
            JsonNode value = update.get(field);
            boolean same = switch (field) {
                case "sourceDatabaseName", "sourceCollection", "columns" -> true;
                case "targetTable" -> value.asText("").equals(mapping.targetTable());
                case "partitionBy" -> value.isNull() ? mapping.partitionBy().isEmpty()
                    : value.asText("").trim().equals(mapping.partitionBy());
                case "excludeFields" -> texts(value).equals(mapping.excludeFields());
                case "orderBy" -> texts(value).equals(mapping.orderBy());
                case "engineSettings" -> {
                    Map<String, String> settings = new TreeMap<>();
                    value.fields().forEachRemaining(entry -> settings.put(entry.getKey(), entry.getValue().asText()));
                    yield settings.equals(mapping.engineSettings());
                }
                default -> false;
            };
            if (!same) {
                changed.add(field);
            }
        });
        return changed;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        if (array != null) {
            array.forEach(element -> texts.add(element.asText()));
        }
        return texts;
    }

    /**
     * The columns of an update that the mapping does not have: one it has already is taken when it is the same
     * (name, path and type), and refused when it would change.
     */
    private static JsonNode newColumns(JsonNode columns, String path, TableMapping mapping, List<String> problems) {
        ArrayNode added = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < columns.size(); i++) {
            JsonNode column = columns.get(i);
            String name = column.path("name").asText("");
            Optional<TableMapping.ColumnMapping> existing = mapping.columns().stream()
                .filter(c -> c.name().equals(name)).findFirst();
            if (existing.isEmpty()) {
                added.add(column);
            } else if (!existing.get().path().equals(column.path("path").asText(""))
                || !existing.get().type().equals(column.path("type").asText("").trim())) {
                problems.add(path + "[" + i + "]: column '" + name + "' exists with path " + existing.get().path()
                    + " and type " + existing.get().type() + "; a column cannot change (add one of another name)");
            }
        }
        return added;
    }

    /** Dotted paths of fields to leave out: never {@code _id}, the table's key, and no empty or {@code $} parts. */
    private static List<String> excludeFields(JsonNode node, String path, List<String> problems) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.add(path + ": must be an array of dotted field paths, e.g. [\"payment.card\", \"internalNotes\"]");
            return List.of();
        }
        List<String> fields = new ArrayList<>();
        for (JsonNode field : node) {
            String text = field.isTextual() ? field.asText() : "";
            List<String> parts = List.of(text.split("\\.", -1));
            if (text.isEmpty() || parts.stream().anyMatch(part -> part.isEmpty() || part.startsWith("$"))) {
                problems.add(path + ": " + field + " is not a field path; give dotted names such as \"payment.card\"");
            } else if (parts.get(0).equals("_id")) {
                problems.add(path + ": \"" + text + "\" is (part of) _id, the table's key, which cannot be left out");
            } else if (!fields.contains(text)) {
                fields.add(text);
            }
        }
        return fields;
    }

    /** {@code {"index_granularity": 4096}}: setting names, with numbers or strings as values. */
    private static Map<String, String> engineSettings(JsonNode node, String path, List<String> problems) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            problems.add(path + ": must be an object of MergeTree settings, e.g. {\"index_granularity\": 4096}");
            return Map.of();
        }
        Map<String, String> settings = new TreeMap<>();
        node.fields().forEachRemaining(setting -> {
            if (!SETTING_NAME.matcher(setting.getKey()).matches()) {
                problems.add(path + ": '" + setting.getKey() + "' is not a setting name (lower case letters, digits "
                    + "and '_')");
            } else if (!setting.getValue().isNumber() && !setting.getValue().isTextual()) {
                problems.add(path + "." + setting.getKey() + ": must be a number or a string, got "
                    + setting.getValue());
            } else {
                settings.put(setting.getKey(), setting.getValue().asText());
            }
        });
        return settings;
    }

    private static String text(JsonNode node, String field, String path, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            problems.add(path + ": required");
            return null;
        }
        if (!value.isTextual()) {
            problems.add(path + ": must be a string");
            return null;
        }
        return value.asText();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
