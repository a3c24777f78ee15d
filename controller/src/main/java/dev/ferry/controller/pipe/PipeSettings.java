package dev.ferry.controller.pipe;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a pipe replicates: its mode, batching and parallelism, with ClickPipes' defaults; and when the controller
 * calls it Degraded: {@code lagThresholdSeconds}, how far its change stream may fall behind MongoDB, and
 * {@code onSourceCollectionGone}, whether a mapped collection dropped or renamed makes it Degraded or Failed.
 */
public record PipeSettings(String replicationMode, int syncIntervalSeconds, int pullBatchSize,
                           int snapshotParallelTables, String docColumnType, int lagThresholdSeconds,
                           String onSourceCollectionGone) {

    public static final PipeSettings DEFAULTS = new PipeSettings("cdc", 60, 100_000, 2, "auto", 300, "degraded");
    private static final Set<String> ON_SOURCE_GONE = Set.of("degraded", "failed");

    public PipeSettings {
        // catalogs written before a setting existed read it as 0 or null
        lagThresholdSeconds = lagThresholdSeconds == 0 ? 300 : lagThresholdSeconds;
        onSourceCollectionGone = onSourceCollectionGone == null ? "degraded" : onSourceCollectionGone;
    }

    /** Whether the job must be restarted for these settings to replace {@code current}: the job reads them. */
    public boolean changeTheJob(PipeSettings current) {
        return syncIntervalSeconds != current.syncIntervalSeconds || pullBatchSize != current.pullBatchSize
            || snapshotParallelTables != current.snapshotParallelTables;
    }
    private static final Set<String> MODES = Set.of("cdc", "snapshot", "cdc_only");
    private static final Set<String> DOC_TYPES = Set.of("auto", "JSON", "String");

    /** Reads a settings body on its own ({@code PUT /v1/pipes/{id}/settings}): what it omits keeps its default. */
    public static PipeSettings parse(JsonNode node) {
        List<String> problems = new java.util.ArrayList<>();
        PipeSettings settings = parse(node, problems);
        if (!problems.isEmpty()) {
            throw new dev.ferry.controller.api.ApiException(400, "invalid_request", String.join("; ", problems));
        }
        return settings;
    }

    static PipeSettings parse(JsonNode node, List<String> problems) {
        if (node == null || node.isNull()) {
            return DEFAULTS;
        }
        String mode = node.path("replicationMode").asText(DEFAULTS.replicationMode());
        if (!MODES.contains(mode)) {
            problems.add("settings.replicationMode: '" + mode + "' is not one of cdc, snapshot, cdc_only");
        }
        String docType = node.path("docColumnType").asText(DEFAULTS.docColumnType());
        if (!DOC_TYPES.contains(docType)) {
            problems.add("settings.docColumnType: '" + docType + "' is not one of auto, JSON, String");
        }
        String onGone = node.path("onSourceCollectionGone").asText(DEFAULTS.onSourceCollectionGone());
        if (!ON_SOURCE_GONE.contains(onGone)) {
            problems.add("settings.onSourceCollectionGone: '" + onGone + "' is not one of degraded, failed");
        }
        return new PipeSettings(mode,
            number(node, "syncIntervalSeconds", DEFAULTS.syncIntervalSeconds(), 1, 3600, problems),
            number(node, "pullBatchSize", DEFAULTS.pullBatchSize(), 1, 1_000_000, problems),
            number(node, "snapshotParallelTables", DEFAULTS.snapshotParallelTables(), 1, 16, problems),
            docType,
            number(node, "lagThresholdSeconds", DEFAULTS.lagThresholdSeconds(), 1, 7 * 24 * 3600, problems),
            onGone);
    }

    private static int number(JsonNode node, String field, int fallback, int min, int max, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            problems.add("settings." + field + ": must be a whole number from " + min + " to " + max
                + ", got " + value);
            return fallback;
        }
        return value.asInt();
    }
}
