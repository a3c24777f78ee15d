package dev.ferry.controller.pipe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.common.JobSpec;

/**
 * How a pipe replicates: its mode, batching and snapshot parallelism, with ClickPipes' defaults; and when the
 * controller calls it Degraded: {@code lagThresholdSeconds}, how far its change stream may fall behind MongoDB, and
 * {@code onSourceCollectionGone}, whether a mapped collection dropped or renamed makes it Degraded or Failed.
 * The snapshot loads {@code snapshotParallelTables} collections at a time, each split into {@code _id} ranges of
 * about {@code snapshotNumRowsPerPartition} documents that {@code snapshotParallelism} readers read side by side.
 * {@code alerts}: a webhook told of the transitions the user wants to hear of.
 */
public record PipeSettings(ReplicationMode replicationMode, int syncIntervalSeconds, int pullBatchSize,
                           int snapshotParallelTables, int snapshotNumRowsPerPartition, int snapshotParallelism,
                           DocColumnType docColumnType, int lagThresholdSeconds, OnSourceGone onSourceCollectionGone,
                           AlertSettings alerts, List<ExcludedOperation> excludedOperations,
                           FullDocumentMode fullDocument) {

    public static final PipeSettings DEFAULTS = new PipeSettings(ReplicationMode.CDC, 60, 100_000, 1, 100_000, 2,
        DocColumnType.AUTO, 300, OnSourceGone.DEGRADED, AlertSettings.NONE, List.of(), FullDocumentMode.UPDATE_LOOKUP);

    /**
     * How an update's document is read: looked up when the change stream reads the event ({@code updateLookup}, any
     * MongoDB; it shows the document as it is then, which may be after later writes), or the update's post-image
     * ({@code postImage}, MongoDB 6.0+ with {@code changeStreamPreAndPostImages} on every mapped collection).
     */
    public enum FullDocumentMode implements Word {
        UPDATE_LOOKUP("updateLookup"), POST_IMAGE("postImage");

        private final String label;

        FullDocumentMode(String label) {
            this.label = label;
        }

        @Override
        @JsonValue
        public String label() {
            return label;
        }
    }

    public PipeSettings {
        // a catalog written before alerts and excluded operations existed has none
        alerts = alerts == null ? AlertSettings.NONE : alerts;
        excludedOperations = excludedOperations == null ? List.of() : List.copyOf(excludedOperations);
        fullDocument = fullDocument == null ? FullDocumentMode.UPDATE_LOOKUP : fullDocument;
    }

    /**
     * A change MongoDB makes that the pipe does not apply. Only deletes: a table that keeps the rows of deleted
     * documents is an audit or history table; leaving out inserts or updates would leave rows that never matched
     * any document.
     */
    public enum ExcludedOperation implements Word {
        DELETE("delete");

        private final String label;

        ExcludedOperation(String label) {
            this.label = label;
        }

        @Override
        @JsonValue
        public String label() {
            return label;
        }
    }

    public boolean readsPostImages() {
        return fullDocument == FullDocumentMode.POST_IMAGE;
    }

    /** Whether deletes in MongoDB leave the tables' rows as they were. */
    public boolean keepsDeletes() {
        return excludedOperations.contains(ExcludedOperation.DELETE);
    }

    /** A setting whose JSON value is a word: the enums below. */
    interface Word {
        String label();
    }

    /** What a pipe replicates: a snapshot and then changes, the snapshot alone, or changes alone. */
    public enum ReplicationMode implements Word {
        CDC("cdc"), SNAPSHOT("snapshot"), CDC_ONLY("cdc_only");

        private final String label;

        ReplicationMode(String label) {
            this.label = label;
        }

        @JsonValue
        @Override
        public String label() {
            return label;
        }

        public boolean snapshots() {
            return this != CDC_ONLY;
        }

        public boolean streamsChanges() {
            return this != SNAPSHOT;
        }

        /** The same mode as the job's spec names it. */
        public JobSpec.Mode forJob() {
            return switch (this) {
                case CDC -> JobSpec.Mode.CDC;
                case SNAPSHOT -> JobSpec.Mode.SNAPSHOT;
                case CDC_ONLY -> JobSpec.Mode.CDC_ONLY;
            };
        }
    }

    /** The type asked for the {@code doc} column: JSON where the server has it, or always String. */
    public enum DocColumnType implements Word {
        AUTO("auto"), JSON("JSON"), STRING("String");

        private final String label;

        DocColumnType(String label) {
            this.label = label;
        }

        @JsonValue
        @Override
        public String label() {
            return label;
        }
    }

    /** What a dropped or renamed mapped collection makes of the pipe. */
    public enum OnSourceGone implements Word {
        DEGRADED("degraded"), FAILED("failed");

        private final String label;

        OnSourceGone(String label) {
            this.label = label;
        }

        @JsonValue
        @Override
        public String label() {
            return label;
        }
    }

    public PipeSettings withAlerts(AlertSettings newAlerts) {
        return new PipeSettings(replicationMode, syncIntervalSeconds, pullBatchSize, snapshotParallelTables,
            snapshotNumRowsPerPartition, snapshotParallelism, docColumnType, lagThresholdSeconds, onSourceCollectionGone,
            newAlerts, excludedOperations, fullDocument);
    }

    /** Whether the job must be restarted for these settings to replace {@code current}: the job reads them. */
    public boolean changeTheJob(PipeSettings current) {
        return syncIntervalSeconds != current.syncIntervalSeconds || pullBatchSize != current.pullBatchSize
            || snapshotParallelTables != current.snapshotParallelTables
            || snapshotNumRowsPerPartition != current.snapshotNumRowsPerPartition
            || snapshotParallelism != current.snapshotParallelism
            || !excludedOperations.equals(current.excludedOperations);
    }

    /** Reads a settings body on its own ({@code PUT /v1/pipes/{id}/settings}): what it omits keeps its default. */
    public static PipeSettings parse(JsonNode node) {
        List<String> problems = new ArrayList<>();
        PipeSettings settings = parse(node, problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return settings;
    }

    static PipeSettings parse(JsonNode node, List<String> problems) {
        if (node == null || node.isNull()) {
            return DEFAULTS;
        }
        if (!node.isObject()) {
            problems.add("settings: must be an object, e.g. {\"syncIntervalSeconds\": 10}");
            return DEFAULTS;
        }
        return new PipeSettings(
            word(node, "replicationMode", ReplicationMode.values(), DEFAULTS.replicationMode(), problems),
            number(node, "syncIntervalSeconds", DEFAULTS.syncIntervalSeconds(), 1, 3600, problems),
            number(node, "pullBatchSize", DEFAULTS.pullBatchSize(), 1, 1_000_000, problems),
            number(node, "snapshotParallelTables", DEFAULTS.snapshotParallelTables(), 1, 64, problems),
            number(node, "snapshotNumRowsPerPartition", DEFAULTS.snapshotNumRowsPerPartition(), 1_000, 100_000_000,
                problems),
            number(node, "snapshotParallelism", DEFAULTS.snapshotParallelism(), 1, 16, problems),
            word(node, "docColumnType", DocColumnType.values(), DEFAULTS.docColumnType(), problems),
            number(node, "lagThresholdSeconds", DEFAULTS.lagThresholdSeconds(), 1, 7 * 24 * 3600, problems),
            word(node, "onSourceCollectionGone", OnSourceGone.values(), DEFAULTS.onSourceCollectionGone(), problems),
            AlertSettings.parse(node.get("alerts"), "settings.alerts", problems),
            words(node, "excludedOperations", ExcludedOperation.values(), problems),
            word(node, "fullDocument", FullDocumentMode.values(), DEFAULTS.fullDocument(), problems));
    }

    private static <E extends Word> E word(JsonNode node, String field, E[] values, E fallback,
                                           List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        for (E candidate : values) {
            if (candidate.label().equals(value.asText())) {
                return candidate;
            }
        }
        problems.add("settings." + field + ": '" + value.asText() + "' is not one of "
            + Arrays.stream(values).map(Word::label).collect(Collectors.joining(", ")));
        return fallback;
    }

    /** A list of words, each once. */
    private static <E extends Word> List<E> words(JsonNode node, String field, E[] values, List<String> problems) {
        JsonNode list = node.get(field);
        if (list == null || list.isNull()) {
            return List.of();
        }
        String allowed = Arrays.stream(values).map(Word::label).collect(Collectors.joining(", "));
        if (!list.isArray()) {
            problems.add("settings." + field + ": must be an array of " + allowed);
            return List.of();
        }
        List<E> chosen = new ArrayList<>();
        for (JsonNode value : list) {
            Arrays.stream(values).filter(candidate -> candidate.label().equals(value.asText())).findFirst()
                .ifPresentOrElse(candidate -> {
                    if (!chosen.contains(candidate)) {
                        chosen.add(candidate);
                    }
                }, () -> problems.add("settings." + field + ": '" + value.asText() + "' cannot be excluded; only "
                    + allowed + " can"));
        }
        return chosen;
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
