package dev.ferry.controller.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.common.Secret;
import dev.ferry.controller.connect.Source;
import dev.ferry.controller.connect.SyncLog;
import dev.ferry.controller.pipe.AlertSettings;
import dev.ferry.controller.pipe.Credentials;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeError;
import dev.ferry.controller.pipe.PipeSettings;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.SyncObservation;
import dev.ferry.controller.pipe.TableMapping;
import dev.ferry.controller.pipe.Transition;
import dev.ferry.controller.pipe.UserAction;
import dev.ferry.controller.service.PipeService;
import dev.ferry.controller.service.TableProgress;

/** The JSON the API answers with. Secrets never appear: passwords are masked, in credentials and in URIs. */
final class PipeViews {

    static final String MASK = "******";

    private final ObjectMapper json;

    PipeViews(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode pipe(Pipe pipe, String dashboardUrl, Optional<SyncObservation> sync) {
        PipeSpec spec = pipe.spec();
        PipeStatus status = pipe.status();
        ObjectNode view = json.createObjectNode();
        view.put("id", pipe.id());
        view.put("name", spec.name());
        view.put("state", pipe.state().label());
        view.put("stateReason", pipe.stateReason());
        view.put("desiredState", spec.desiredState().name().toLowerCase(Locale.ROOT));
        view.put("generation", spec.generation());
        view.put("observedGeneration", status.observedGeneration());
        if (status.retry() != null) {
            view.putObject("lastError").put("message", status.retry().error())
                .put("attempts", status.retry().attempts())
                .put("nextAttemptAt", Instant.ofEpochMilli(status.retry().nextAttemptMillis()).toString());
        }
        view.put("createdAt", pipe.createdAt().toString());
        view.put("updatedAt", pipe.updatedAt().toString());
        seconds(view, "lagSeconds", sync.map(SyncObservation::lagSeconds).orElse(OptionalDouble.empty()));
        seconds(view, "rowsPerSecond", sync.map(SyncObservation::rowsPerSecond).orElse(OptionalDouble.empty()));
        view.put("lastSyncedAt", sync.flatMap(SyncObservation::lastSynced).map(Instant::toString).orElse(null));
        view.put("flinkJobId", status.jobId());
        view.put("dashboardUrl", dashboardUrl);
        ObjectNode mongodb = view.putObject("source").putObject("mongodb");
        mongodb.put("uri", maskUri(spec.source().uri()));
        if (spec.source().readPreference() != null) {
            mongodb.put("readPreference", spec.source().readPreference());
        }
        credentials(mongodb, spec.source().credentials());
        ObjectNode clickhouse = view.putObject("destination").putObject("clickhouse");
        clickhouse.put("url", spec.destination().url());
        clickhouse.put("database", spec.destination().database());
        credentials(clickhouse, spec.destination().credentials());
        ArrayNode mappings = view.putArray("tableMappings");
        for (TableMapping mapping : spec.tableMappings()) {
            ObjectNode mappingView = mappings.addObject().put("sourceDatabaseName", mapping.sourceDatabaseName())
                .put("sourceCollection", mapping.sourceCollection())
                .put("targetTable", mapping.targetTable());
            if (!mapping.excludeFields().isEmpty()) {
                mapping.excludeFields().forEach(mappingView.putArray("excludeFields")::add);
            }
            if (!mapping.engineSettings().isEmpty()) {
                ObjectNode settingsView = mappingView.putObject("engineSettings");
                mapping.engineSettings().forEach(settingsView::put);
            }
            if (!mapping.columns().isEmpty()) {
                mappingView.set("columns", json.valueToTree(mapping.columns()));
            }
            if (!mapping.orderBy().isEmpty()) {
                mapping.orderBy().forEach(mappingView.putArray("orderBy")::add);
            }
            if (!mapping.partitionBy().isEmpty()) {
                mappingView.put("partitionBy", mapping.partitionBy());
            }
        }
        view.set("settings", settings(spec.settings()));
        view.set("actions", actions(pipe));
        return view;
    }

    /** A figure to the millisecond, or null when unknown. */
    private static void seconds(ObjectNode view, String name, OptionalDouble value) {
        if (value.isPresent()) {
            view.put(name, Math.round(value.getAsDouble() * 1000) / 1000.0);
        } else {
            view.putNull(name);
        }
    }

    /**
     * Per action a user can ask of the pipe, whether its state allows it now, and when not, the reason the API would
     * refuse it with: what a client shows before it asks.
     */
    private ObjectNode actions(Pipe pipe) {
        ObjectNode actions = json.createObjectNode();
        action(actions, "pause", UserAction.PAUSE.refusal(pipe));
        action(actions, "resume", UserAction.RESUME.refusal(pipe));
        action(actions, "resync", UserAction.RESYNC.refusal(pipe));
        action(actions, "resyncTable", UserAction.RESYNC_TABLE.refusal(pipe));
        action(actions, "changeSettings", UserAction.CHANGE_SETTINGS.refusal(pipe));
        action(actions, "changeTables", UserAction.CHANGE_TABLES.refusal(pipe));
        action(actions, "verify", pipe.status().setup() != null ? Optional.empty()
            : Optional.of(PipeService.notSetUp(pipe)));
        action(actions, "delete", Optional.empty());
        return actions;
    }

    private static void action(ObjectNode actions, String name, Optional<String> refusal) {
        actions.putObject(name).put("allowed", refusal.isEmpty()).put("reason", refusal.orElse(null));
    }

    /** The settings, with a webhook's path and query masked: webhook URLs often carry a token there. */
    ObjectNode settings(PipeSettings settings) {
        ObjectNode view = json.valueToTree(settings);
        URI webhook = settings.alerts().webhookUrl();
        if (webhook == null) {
            view.remove("alerts");
        } else {
            ((ObjectNode) view.get("alerts")).put("webhookUrl", masked(webhook));
        }
        return view;
    }

    /**
     * {@code requested}, except that a webhook URL given as the API shows the current one (masked, as a client
     * that read the settings and sends them back has it) stays the current one.
     */
    PipeSettings unmasked(PipeSettings requested, PipeSettings current) {
        URI webhook = requested.alerts().webhookUrl();
        URI kept = current.alerts().webhookUrl();
        if (webhook == null || kept == null || !webhook.toString().equals(masked(kept))) {
            return requested;
        }
        return requested.withAlerts(new AlertSettings(kept, requested.alerts().on()));
    }

    private static String masked(URI webhook) {
        boolean hidden = webhook.getRawPath() != null && webhook.getRawPath().length() > 1
            || webhook.getRawQuery() != null || webhook.getRawUserInfo() != null;
        return webhook.getScheme() + "://" + webhook.getHost() + (webhook.getPort() < 0 ? "" : ":" + webhook.getPort())
            + (hidden ? "/" + MASK : "/");
    }

    ArrayNode tables(List<TableProgress> tables) {
        return json.valueToTree(tables);
    }

    ArrayNode syncs(List<SyncLog.Sync> syncs) {
        ArrayNode view = json.createArrayNode();
        for (SyncLog.Sync sync : syncs) {
            ObjectNode entry = view.addObject().put("syncId", sync.syncId())
                .put("committedAt", sync.committedAt().toString()).put("durationMs", sync.durationMs())
                .put("bytes", sync.bytes());
            ArrayNode tables = entry.putArray("tables");
            for (SyncLog.SyncTable table : sync.tables()) {
                tables.addObject().put("targetTable", table.targetTable()).put("snapshot", table.snapshot())
                    .put("inserts", table.inserts()).put("updates", table.updates()).put("replaces", table.replaces())
                    .put("deletes", table.deletes()).put("mismatches", table.mismatches());
            }
        }
        return view;
    }

    ObjectNode throughput(PipeService.Throughput throughput) {
        ObjectNode view = json.createObjectNode().put("step", throughput.step());
        ArrayNode points = view.putArray("points");
        for (SyncLog.Interval point : throughput.points()) {
            points.addObject().put("at", point.at().toString()).put("snapshot", point.snapshot())
                .put("inserts", point.inserts()).put("updates", point.updates()).put("replaces", point.replaces())
                .put("deletes", point.deletes()).put("lagSeconds", Math.round(point.lagSeconds() * 1000) / 1000.0);
        }
        return view;
    }

    ObjectNode databases(List<Source.Database> databases) {
        ObjectNode view = json.createObjectNode();
        ArrayNode list = view.putArray("databases");
        for (Source.Database database : databases) {
            ArrayNode collections = list.addObject().put("name", database.name()).putArray("collections");
            database.collections().forEach(collection -> collections.addObject().put("name", collection.name())
                .put("estimatedDocuments", collection.estimatedDocuments()));
        }
        return view;
    }

    ArrayNode errors(List<PipeError> errors) {
        ArrayNode view = json.createArrayNode();
        for (PipeError error : errors) {
            view.addObject().put("at", error.at().toString()).put("state", error.state().label())
                .put("code", error.code()).put("message", error.message())
                .put("resolvedAt", error.resolvedAt() == null ? null : error.resolvedAt().toString());
        }
        return view;
    }

    ArrayNode history(List<Transition> transitions) {
        ArrayNode view = json.createArrayNode();
        for (Transition transition : transitions) {
            view.addObject()
                .put("from", transition.from() == null ? null : transition.from().label())
                .put("to", transition.to().label())
                .put("at", transition.at().toString())
                .put("reason", transition.reason());
        }
        return view;
    }

    ObjectNode error(ApiException error) {
        ObjectNode view = json.createObjectNode();
        ObjectNode body = view.putObject("error").put("code", error.code()).put("message", error.getMessage());
        ArrayNode problems = body.putArray("problems");
        error.problems().forEach(problem -> problems.addObject().put("field", problem.field())
            .put("message", problem.message()));
        return view;
    }

    /** A password given as a value is masked; one given as a reference shows where it is read from. */
    private static void credentials(ObjectNode parent, Credentials credentials) {
        if (credentials == null || !credentials.isPresent()) {
            return;
        }
        ObjectNode view = parent.putObject("credentials").put("username", credentials.username());
        Secret password = credentials.password();
        if (!password.isReference()) {
            view.put("password", MASK);
        } else if (password.fromEnv() != null) {
            view.putObject("password").put("fromEnv", password.fromEnv());
        } else {
            view.putObject("password").put("fromFile", password.fromFile());
        }
    }

    /** {@code mongodb://user:secret@host} becomes {@code mongodb://user:******@host}. */
    static String maskUri(String uri) {
        return uri.replaceAll("(://[^:@/]*):[^@/]*@", "$1:" + MASK + "@");
    }
}
