package dev.ferry.controller.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.common.Secret;
import dev.ferry.controller.connect.SyncLog;
import dev.ferry.controller.pipe.AlertSettings;
import dev.ferry.controller.pipe.Credentials;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeError;
import dev.ferry.controller.pipe.PipeSettings;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.TableMapping;
import dev.ferry.controller.pipe.Transition;
import dev.ferry.controller.service.PipeService;
import dev.ferry.controller.service.TableProgress;

/** The JSON the API answers with. Secrets never appear: passwords are masked, in credentials and in URIs. */
final class PipeViews {

    static final String MASK = "******";

    private final ObjectMapper json;

    PipeViews(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode pipe(Pipe pipe, String dashboardUrl, OptionalDouble lagSeconds) {
        PipeSpec spec = pipe.spec();
        PipeStatus status = pipe.status();
        ObjectNode view = json.createObjectNode();
        view.put("id", pipe.id());
        view.put("name", spec.name());
        view.put("state", pipe.state().label());
        view.put("stateReason", pipe.stateReason());
        view.put("desiredState", spec.desiredState().name().toLowerCase(java.util.Locale.ROOT));
        view.put("generation", spec.generation());
        view.put("observedGeneration", status.observedGeneration());
        if (status.retry() != null) {
            view.putObject("lastError").put("message", status.retry().error())
                .put("attempts", status.retry().attempts())
                .put("nextAttemptAt", Instant.ofEpochMilli(status.retry().nextAttemptMillis()).toString());
        }
        view.put("createdAt", pipe.createdAt().toString());
        view.put("updatedAt", pipe.updatedAt().toString());
        if (lagSeconds.isPresent()) {
            view.put("lagSeconds", Math.round(lagSeconds.getAsDouble() * 1000) / 1000.0);
        } else {
            view.putNull("lagSeconds");
        }
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
        return view;
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
                .put("deletes", point.deletes());
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
        view.putObject("error").put("code", error.code()).put("message", error.getMessage());
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
