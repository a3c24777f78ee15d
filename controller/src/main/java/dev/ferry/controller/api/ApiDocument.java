package dev.ferry.controller.api;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import dev.ferry.controller.pipe.DesiredState;
import dev.ferry.controller.pipe.LifecycleState;
import dev.ferry.controller.pipe.PipeSettings;
import dev.ferry.controller.pipe.Problem;

import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * The API's OpenAPI 3 document, built with swagger-core's model and served at {@code GET /openapi.json}. A test
 * holds it and the routes the server registers to each other, both ways.
 */
public final class ApiDocument {

    private static final String JSON = "application/json";
    private static final String REFS = "#/components/schemas/";

    private final String json;

    public ApiDocument(String version) {
        this.json = Json.pretty(build(version));
    }

    /** The document as JSON. */
    public String json() {
        return json;
    }

    private static OpenAPI build(String version) {
        Paths paths = new Paths();
        paths.addPathItem("/healthz", new PathItem().get(open(operation("health", "The process answers",
            ok("Always, while the process runs", ref("Health"))))));
        paths.addPathItem("/readyz", new PathItem().get(open(operation("readiness",
            "The catalog answers and the Flink cluster is reachable",
            ok("Ready", ref("Readiness")).addApiResponse("503", response("Not ready: the checks say why",
                ref("Readiness")))))));
        paths.addPathItem("/metrics", new PathItem().get(operation("metrics", "Prometheus metrics of the controller, "
            + "its pipes and its JVM", new ApiResponses().addApiResponse("200", new ApiResponse()
            .description("Prometheus text format").content(new Content().addMediaType("text/plain",
                new MediaType().schema(new StringSchema())))))));
        paths.addPathItem("/openapi.json", new PathItem().get(operation("openApi", "This document",
            ok("The OpenAPI document", new ObjectSchema()))));
        paths.addPathItem("/v1/pipes", new PathItem()
            .get(operation("listPipes", "Every pipe", ok("The pipes", new ArraySchema().items(ref("Pipe")))))
            .post(operation("createPipe", "Creates a pipe after checking the request and both servers",
                withErrors(new ApiResponses().addApiResponse("201", response("The pipe, in Provisioning",
                    ref("Pipe"))), 400, 409, 413, 422, 503)).requestBody(body(ref("PipeRequest")))));
        paths.addPathItem("/v1/pipes/{pipe}", new PathItem().addParametersItem(pipeParameter())
            .get(operation("getPipe", "One pipe", withErrors(ok("The pipe", ref("Pipe")), 404)))
            .patch(operation("modifyTables", "Adds or removes table mappings", accepted(400, 404, 409, 413, 422))
                .requestBody(body(ref("TableMappingsChange"))))
            .delete(operation("deletePipe", "Stops the pipe's job and forgets the pipe", withErrors(
                new ApiResponses().addApiResponse("204", new ApiResponse().description("Deleted")), 404, 503))
                .addParametersItem(new Parameter().in("query").name("dropTables").required(false)
                    .description("true: drop the pipe's tables too").schema(new BooleanSchema()))));
        paths.addPathItem("/v1/pipes/{pipe}/settings", new PathItem().addParametersItem(pipeParameter())
            .get(operation("getSettings", "The pipe's settings", withErrors(ok("The settings", ref("Settings")), 404)))
            .put(operation("updateSettings", "Changes settings; a running job restarts from a savepoint",
                accepted(400, 404, 409, 413, 422)).requestBody(body(ref("Settings")))));
        paths.addPathItem("/v1/pipes/{pipe}/state", new PathItem().addParametersItem(pipeParameter())
            .patch(operation("changeState", "Pauses, resumes or resyncs the pipe", accepted(400, 404, 409, 413))
                .requestBody(body(ref("StateAction")))));
        paths.addPathItem("/v1/pipes/{pipe}/tables", new PathItem().addParametersItem(pipeParameter())
            .get(operation("tables", "Per table: snapshot progress and change counts", withErrors(ok("The tables",
                new ArraySchema().items(ref("TableProgress"))), 404))));
        paths.addPathItem("/v1/pipes/{pipe}/tables/{table}/resync", new PathItem().addParametersItem(pipeParameter())
            .addParametersItem(new Parameter().in("path").name("table").required(true)
                .description("The target table's name").schema(new StringSchema()))
            .post(operation("resyncTable", "Resyncs one table while the others go on", accepted(404, 409, 422))));
        paths.addPathItem("/v1/pipes/{pipe}/syncs", new PathItem().addParametersItem(pipeParameter())
            .get(operation("syncs", "The pipe's syncs, newest first: what each completed checkpoint of its job made "
                + "durable, per table, from the sync log", withErrors(ok("The syncs", new ArraySchema()
                .items(ref("Sync"))), 400, 404, 422))
                .addParametersItem(new Parameter().in("query").name("since").required(false)
                    .description("Only syncs committed at or after this time (ISO-8601); default: all")
                    .schema(new StringSchema().format("date-time")))
                .addParametersItem(new Parameter().in("query").name("limit").required(false)
                    .description("At most this many (1 to 1000; default 100)").schema(new IntegerSchema()))));
        paths.addPathItem("/v1/pipes/{pipe}/throughput", new PathItem().addParametersItem(pipeParameter())
            .get(operation("throughput", "Rows committed per interval, by operation, from the sync log, for charts",
                withErrors(ok("The intervals", ref("Throughput")), 400, 404, 422))
                .addParametersItem(new Parameter().in("query").name("since").required(false)
                    .description("The first interval's time (ISO-8601); default: an hour ago")
                    .schema(new StringSchema().format("date-time")))
                .addParametersItem(new Parameter().in("query").name("step").required(false)
                    .description("The interval in seconds (at least 1; default 60); at most 10,000 intervals")
                    .schema(new IntegerSchema()))));
        paths.addPathItem("/v1/pipes/{pipe}/errors", new PathItem().addParametersItem(pipeParameter())
            .get(operation("errors", "Everything that went wrong with the pipe, newest first: each problem, when it "
                + "began and when it was over", withErrors(ok("The errors", new ArraySchema()
                .items(ref("PipeError"))), 404))));
        paths.addPathItem("/v1/sources/check", new PathItem()
            .post(operation("checkSource", "Connects to a MongoDB deployment as a new pipe's source would and lists "
                + "its databases and collections with their estimated counts", withErrors(ok("What it holds",
                ref("SourceDatabases")), 400, 413, 422)).requestBody(body(object(Map.of("source", ref("Source")),
                "source")))));
        paths.addPathItem("/v1/pipes/{pipe}/history", new PathItem().addParametersItem(pipeParameter())
            .get(operation("history", "Every state transition", withErrors(ok("The transitions",
                new ArraySchema().items(ref("Transition"))), 404))));
        paths.addPathItem("/v1/pipes/{pipe}/verify", new PathItem().addParametersItem(pipeParameter())
            .get(operation("verify", "Compares each collection with its table, document by document",
                withErrors(ok("The comparison", ref("VerifyReport")), 404, 409))
                .addParametersItem(new Parameter().in("query").name("table").required(false)
                    .description("Only this target table").schema(new StringSchema()))));
        paths.addPathItem("/v1/pipes/{pipe}/verify/progress", new PathItem().addParametersItem(pipeParameter())
            .get(operation("verifyProgress", "How far the running verification is",
                withErrors(ok("Per table", ref("VerifyProgress")), 404))));
        paths.values().forEach(item -> item.readOperations().forEach(ApiDocument::secured));
        return new OpenAPI()
            .info(new Info().title("ferry controller").version(version).description("Pipes from MongoDB to "
                + "ClickHouse on Flink: create them, watch them, pause, resume and resync them.")
                .license(new License().name("Apache-2.0")))
            .paths(paths)
            .components(new Components().schemas(schemas()).addSecuritySchemes("bearer", new SecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").description("Required when the controller was "
                    + "started with a token (always beyond loopback)")));
    }

    private static Map<String, Schema> schemas() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        schemas.put("Error", object(Map.of("error", object(Map.of("code", new StringSchema()
            .description("Stable name of the problem"), "message", new StringSchema()
            .description("What is wrong and how to fix it"), "problems", new ArraySchema().items(object(Map.of(
                "field", new StringSchema().nullable(true).description("The request's field it concerns, e.g. "
                    + "tableMappings[0].targetTable, when it names one"), "message", new StringSchema()), "message"))
            .description("Each thing wrong, one by one")), "code", "message")), "error"));
        schemas.put("Health", object(Map.of("status", new StringSchema()._enum(List.of("ok"))), "status"));
        schemas.put("Readiness", object(Map.of("ready", new BooleanSchema(), "checks", new ObjectSchema()
            .additionalProperties(new StringSchema()).description("Each check: ok, or what is wrong")),
            "ready", "checks"));
        schemas.put("Secret", new Schema<>().description("A password: the value itself (answered masked), or "
            + "where ferry reads it").oneOf(List.of(new StringSchema(), object(Map.of("fromEnv", new StringSchema()),
            "fromEnv"), object(Map.of("fromFile", new StringSchema()), "fromFile"))));
        schemas.put("Credentials", object(Map.of("username", new StringSchema(), "password", ref("Secret")),
            "username"));
        schemas.put("Source", object(Map.of("mongodb", object(Map.of("uri", new StringSchema(), "readPreference",
            new StringSchema(), "credentials", ref("Credentials")), "uri")), "mongodb"));
        schemas.put("Destination", object(Map.of("clickhouse", object(Map.of("url", new StringSchema(), "database",
            new StringSchema(), "credentials", ref("Credentials")), "url", "database")), "clickhouse"));
        schemas.put("TypedColumn", object(Map.of("name", new StringSchema(), "path", new StringSchema()
            .description("Dotted path into the document, e.g. customer.id"), "type", new StringSchema()
            .description("String, Int64, Float64, Decimal(P,S), Bool, UInt8, DateTime64(3), DateTime, Nullable(T), "
                + "Array(T)")), "name", "path", "type"));
        Map<String, Schema> mapping = new LinkedHashMap<>();
        mapping.put("sourceDatabaseName", new StringSchema());
        mapping.put("sourceCollection", new StringSchema());
        mapping.put("targetTable", new StringSchema());
        mapping.put("excludeFields", new ArraySchema().items(new StringSchema())
            .description("Dotted paths left out of the doc column, e.g. payment.card"));
        mapping.put("engineSettings", new ObjectSchema().additionalProperties(new Schema<>().oneOf(List.of(
            new NumberSchema(), new StringSchema()))).description("The table's MergeTree SETTINGS, e.g. "
            + "{\"index_granularity\": 4096}"));
        mapping.put("columns", new ArraySchema().items(ref("TypedColumn")));
        mapping.put("orderBy", new ArraySchema().items(new StringSchema())
            .description("The sorting key: typed columns, ending with _id"));
        mapping.put("partitionBy", new StringSchema().description("A partition expression over typed columns"));
        schemas.put("TableMapping", object(mapping, "sourceDatabaseName", "sourceCollection"));
        schemas.put("Settings", settings());
        schemas.put("PipeRequest", object(Map.of("name", new StringSchema(), "source", ref("Source"), "destination",
            ref("Destination"), "tableMappings", new ArraySchema().items(ref("TableMapping")), "settings",
            ref("Settings")), "name", "source", "destination", "tableMappings"));
        Map<String, Schema> pipe = new LinkedHashMap<>();
        pipe.put("id", new StringSchema());
        pipe.put("name", new StringSchema());
        pipe.put("state", words(LifecycleState.values(), LifecycleState::label));
        pipe.put("stateReason", new StringSchema().nullable(true));
        pipe.put("desiredState", words(DesiredState.values(),
            desired -> desired.name().toLowerCase(Locale.ROOT)));
        pipe.put("generation", new IntegerSchema().format("int64"));
        pipe.put("observedGeneration", new IntegerSchema().format("int64"));
        pipe.put("lastError", object(Map.of("message", new StringSchema(), "attempts", new IntegerSchema(),
            "nextAttemptAt", new StringSchema().format("date-time"))));
        pipe.put("createdAt", new StringSchema().format("date-time"));
        pipe.put("updatedAt", new StringSchema().format("date-time"));
        pipe.put("lagSeconds", new NumberSchema().nullable(true).description("How far ClickHouse is behind MongoDB: "
            + "the age of the oldest change not committed yet, 0 when none waits; null when not known"));
        pipe.put("rowsPerSecond", new NumberSchema().nullable(true).description("Rows committed a second over the "
            + "last minute; null until known"));
        pipe.put("lastSyncedAt", new StringSchema().format("date-time").nullable(true).description("When any of "
            + "its tables last received rows"));
        Map<String, Schema> actions = new LinkedHashMap<>();
        for (String action : List.of("pause", "resume", "resync", "resyncTable", "changeSettings", "changeTables",
            "verify", "delete")) {
            actions.put(action, object(Map.of("allowed", new BooleanSchema(), "reason", new StringSchema()
                .nullable(true).description("Why not, as the API would refuse it")), "allowed"));
        }
        pipe.put("actions", object(actions).description("Whether the pipe's state allows each action now"));
        pipe.put("flinkJobId", new StringSchema().nullable(true));
        pipe.put("dashboardUrl", new StringSchema().nullable(true));
        pipe.put("source", ref("Source"));
        pipe.put("destination", ref("Destination"));
        pipe.put("tableMappings", new ArraySchema().items(ref("TableMapping")));
        pipe.put("settings", ref("Settings"));
        schemas.put("Pipe", object(pipe, "id", "name", "state", "generation", "observedGeneration"));
        schemas.put("TableMappingsChange", object(Map.of("addTableMappings", new ArraySchema()
            .items(ref("TableMapping")), "removeTableMappings", new ArraySchema().items(object(Map.of(
            "sourceDatabaseName", new StringSchema(), "sourceCollection", new StringSchema()),
            "sourceDatabaseName", "sourceCollection")), "updateTableMappings", new ArraySchema().items(object(Map.of(
            "sourceDatabaseName", new StringSchema(), "sourceCollection", new StringSchema(), "columns",
            new ArraySchema().items(ref("TypedColumn"))), "sourceDatabaseName", "sourceCollection", "columns"))
            .description("Typed columns to add; each table is altered and resynced to fill them"))));
        schemas.put("StateAction", object(Map.of("action", new StringSchema()._enum(List.of("pause", "resume",
            "resync"))), "action"));
        schemas.put("TableProgress", object(Map.of("targetTable", new StringSchema(), "source", new StringSchema(),
            "snapshot", object(Map.of("status", new StringSchema()._enum(List.of("pending", "queued", "running",
                "done", "skipped")), "rowsLoaded", int64().nullable(true).description("Snapshot rows committed; "
                + "null until the sync log is read"), "rowsEstimated", int64(), "rowsPerSecond",
                new NumberSchema().nullable(true), "etaSeconds", int64().nullable(true))),
            "cdc", object(Map.of("inserts", int64(), "updates", int64(), "replaces", int64(), "deletes", int64(),
                "lastSyncedAt", new StringSchema().nullable(true))).nullable(true)
                .description("Changes applied since the table was last loaded; null until the sync log is read"),
            "columns", object(Map.of("mismatches", int64(), "exampleId", new StringSchema().nullable(true)))
                .nullable(true).description("Typed-column values that did not fit their types since the table was "
                    + "last loaded"),
            "countedAt", new StringSchema().format("date-time").nullable(true).description("When the sync log was "
                + "read")), "targetTable"));
        Map<String, Schema> operations = new LinkedHashMap<>();
        operations.put("snapshot", int64());
        operations.put("inserts", int64());
        operations.put("updates", int64());
        operations.put("replaces", int64());
        operations.put("deletes", int64());
        Map<String, Schema> syncTable = new LinkedHashMap<>(operations);
        syncTable.put("targetTable", new StringSchema());
        syncTable.put("mismatches", int64());
        schemas.put("Sync", object(Map.of("syncId", new StringSchema().description("The job and the checkpoint "
            + "that committed it"), "committedAt", new StringSchema().format("date-time"), "durationMs", int64()
            .description("Time its inserts into ClickHouse took"), "bytes", int64(), "tables", new ArraySchema()
            .items(object(syncTable, "targetTable"))), "syncId", "committedAt", "tables"));
        Map<String, Schema> point = new LinkedHashMap<>(operations);
        point.put("at", new StringSchema().format("date-time").description("The interval's start"));
        point.put("lagSeconds", new NumberSchema().description("The longest a change committed in the interval "
            + "waited, from its cluster time to its commit; 0 without changes"));
        schemas.put("Throughput", object(Map.of("step", int64().description("Seconds per interval"), "points",
            new ArraySchema().items(object(point, "at"))), "step", "points"));
        schemas.put("SourceDatabases", object(Map.of("databases", new ArraySchema().items(object(Map.of("name",
            new StringSchema(), "collections", new ArraySchema().items(object(Map.of("name", new StringSchema(),
                "estimatedDocuments", int64()), "name", "estimatedDocuments"))), "name", "collections"))),
            "databases"));
        schemas.put("PipeError", object(Map.of("at", new StringSchema().format("date-time"), "state",
            words(LifecycleState.values(), LifecycleState::label), "code", words(Problem.values(), Problem::code),
            "message", new StringSchema().nullable(true), "resolvedAt", new StringSchema().format("date-time")
            .nullable(true).description("When it was over; null while it lasts")), "at", "state", "code"));
        schemas.put("Transition", object(Map.of("from", new StringSchema().nullable(true), "to", new StringSchema(),
            "at", new StringSchema().format("date-time"), "reason", new StringSchema().nullable(true)), "to", "at"));
        Schema<?> differences = new ArraySchema().items(object(Map.of("id", new Schema<>(), "mongodb",
            new Schema<>().nullable(true), "clickhouse", new Schema<>().nullable(true))));
        Map<String, Schema> verified = new LinkedHashMap<>();
        verified.put("targetTable", new StringSchema());
        verified.put("source", new StringSchema());
        verified.put("equal", new BooleanSchema());
        verified.put("mongodbDocuments", new IntegerSchema().format("int64"));
        verified.put("clickhouseRows", new IntegerSchema().format("int64"));
        verified.put("missing", new IntegerSchema().format("int64"));
        verified.put("extra", new IntegerSchema().format("int64"));
        verified.put("keptDeletes", new IntegerSchema().format("int64").description("Rows of deleted documents "
            + "kept by a pipe that excludes deletes"));
        verified.put("different", new IntegerSchema().format("int64"));
        verified.put("missingIds", differences);
        verified.put("extraIds", differences);
        verified.put("differentIds", differences);
        schemas.put("VerifyReport", object(Map.of("pipe", new StringSchema(), "equal", new BooleanSchema(),
            "tables", new ArraySchema().items(object(verified, "targetTable", "equal"))), "equal", "tables"));
        schemas.put("VerifyProgress", object(Map.of("tables", new ArraySchema().items(object(Map.of("targetTable",
            new StringSchema(), "phase", new StringSchema(), "rowsRead", new IntegerSchema().format("int64"),
            "rowsToRead", new IntegerSchema().format("int64"))))), "tables"));
        return schemas;
    }

    private static Schema<?> settings() {
        Map<String, Schema> settings = new LinkedHashMap<>();
        settings.put("replicationMode", words(PipeSettings.ReplicationMode.values(),
            PipeSettings.ReplicationMode::label));
        settings.put("syncIntervalSeconds", new IntegerSchema().minimum(BigDecimal.ONE));
        settings.put("pullBatchSize", new IntegerSchema().minimum(BigDecimal.ONE));
        settings.put("snapshotParallelTables", new IntegerSchema().minimum(BigDecimal.ONE)
            .maximum(BigDecimal.valueOf(64)));
        settings.put("snapshotNumRowsPerPartition", new IntegerSchema().format("int64")
            .minimum(BigDecimal.valueOf(1000)));
        settings.put("snapshotParallelism", new IntegerSchema().minimum(BigDecimal.ONE)
            .maximum(BigDecimal.valueOf(16)));
        settings.put("docColumnType", words(PipeSettings.DocColumnType.values(),
            PipeSettings.DocColumnType::label));
        settings.put("lagThresholdSeconds", new IntegerSchema().minimum(BigDecimal.ONE));
        settings.put("alerts", object(Map.of("webhookUrl", new StringSchema().format("uri").description("Answered "
            + "with its path masked"), "on", new ArraySchema().items(words(LifecycleState.values(),
            LifecycleState::label)).description("Default: Degraded, Failed")), "webhookUrl"));
        settings.put("fullDocument", words(PipeSettings.FullDocumentMode.values(),
            PipeSettings.FullDocumentMode::label));
        settings.put("excludedOperations", new ArraySchema().items(words(PipeSettings.ExcludedOperation.values(),
            PipeSettings.ExcludedOperation::label)).description("Changes not applied: delete keeps deleted "
            + "documents' rows"));
        settings.put("onSourceCollectionGone", words(PipeSettings.OnSourceGone.values(),
            PipeSettings.OnSourceGone::label));
        return object(settings);
    }

    /** A string that is one of an enum's words, as the API writes them. */
    private static <E extends Enum<E>> Schema<?> words(E[] values, Function<E, String> word) {
        return new StringSchema()._enum(Arrays.stream(values).map(word).toList());
    }

    private static Schema<?> object(Map<String, Schema> properties, String... required) {
        ObjectSchema schema = new ObjectSchema();
        new TreeMap<>(properties).forEach(schema::addProperty);
        if (required.length > 0) {
            schema.required(List.of(required));
        }
        return schema;
    }

    private static Schema<?> int64() {
        return new IntegerSchema().format("int64");
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref(REFS + name);
    }

    private static Parameter pipeParameter() {
        return new Parameter().in("path").name("pipe").required(true).description("The pipe's id or name")
            .schema(new StringSchema());
    }

    private static Operation operation(String id, String summary, ApiResponses responses) {
        return new Operation().operationId(id).summary(summary).responses(responses);
    }

    /** An operation every caller may use, token or not (Kubernetes probes). */
    private static Operation open(Operation operation) {
        return operation.security(List.of());
    }

    private static void secured(Operation operation) {
        if (operation.getSecurity() == null) {
            operation.addSecurityItem(new SecurityRequirement().addList("bearer"));
            withAuth(operation.getResponses());
        }
    }

    private static ApiResponses withAuth(ApiResponses responses) {
        return responses.addApiResponse("401", error("No valid bearer token, and the controller requires one"));
    }

    private static ApiResponses ok(String description, Schema<?> schema) {
        return new ApiResponses().addApiResponse("200", response(description, schema));
    }

    private static ApiResponses accepted(int... errors) {
        return withErrors(new ApiResponses().addApiResponse("202", response("Accepted: the pipe, in the state the "
            + "change leads into, with its generation incremented", ref("Pipe"))), errors);
    }

    private static ApiResponses withErrors(ApiResponses responses, int... errors) {
        for (int status : errors) {
            responses.addApiResponse(String.valueOf(status), error(switch (status) {
                case 400 -> "The request is malformed: the message says what to change";
                case 404 -> "No such pipe (or table)";
                case 409 -> "The pipe's state (or another pipe) does not allow this now";
                case 413 -> "The body is over 1 MiB";
                case 422 -> "A server the pipe needs refused or cannot be reached, or a setting cannot change";
                case 503 -> "The Flink cluster does not answer";
                default -> "Refused";
            }));
        }
        return responses;
    }

    private static ApiResponse error(String description) {
        return response(description, ref("Error"));
    }

    private static ApiResponse response(String description, Schema<?> schema) {
        return new ApiResponse().description(description).content(new Content().addMediaType(JSON,
            new MediaType().schema(schema)));
    }

    private static RequestBody body(Schema<?> schema) {
        return new RequestBody().required(true).content(new Content().addMediaType(JSON,
            new MediaType().schema(schema)));
    }
}
