package dev.ferry.common;

/**
 * The names the job gives its vertices and counters, which the controller reads back through Flink's REST API to
 * tell Snapshot from Running and to show progress. A class of its own so that the controller can use it without
 * loading the job's connectors.
 */
public final class JobGraphNames {

    /** The source that loads the collections (all of them, a few at a time), and its vertex. */
    public static final String SNAPSHOT_VERTEX = "Snapshot";
    public static final String CHANGE_STREAM_VERTEX = "Change stream";
    /** A load's phase, the value of its {@link #snapshotPhaseMetric} gauge: waiting its turn, being read, read. */
    public static final int SNAPSHOT_PHASE_QUEUED = 0;
    public static final int SNAPSHOT_PHASE_LOADING = 1;
    public static final int SNAPSHOT_PHASE_DONE = 2;
    /** The change-stream reader's gauge: seconds its position is behind the wall clock, -1 while unknown. */
    public static final String CHANGE_STREAM_LAG_METRIC = "changeStreamLagSeconds";
    /** The source event of a watched collection dropped (also by dropping its database). */
    public static final String SOURCE_DROPPED = "dropped";
    /** The source event of a watched collection renamed. */
    public static final String SOURCE_RENAMED = "renamed";
    /** Flink's prefix of a source vertex's name in its REST API and dashboard. */
    private static final String SOURCE_VERTEX_PREFIX = "Source: ";

    private JobGraphNames() {
    }

    /** Whether a vertex of the job's graph, by the name Flink reports, starts with the snapshot's source. */
    public static boolean isSnapshotVertex(String vertexName) {
        return vertexName.startsWith(SNAPSHOT_VERTEX + " ") || vertexName.equals(SNAPSHOT_VERTEX)
            || vertexName.startsWith(SOURCE_VERTEX_PREFIX + SNAPSHOT_VERTEX);
    }

    /** The snapshot enumerator's gauge of a table's load phase ({@link #SNAPSHOT_PHASE_QUEUED} ...). */
    public static String snapshotPhaseMetric(String table) {
        return "snapshotPhase_" + table;
    }

    /** The snapshot enumerator's gauge of a table's documents in the ranges read to their end. */
    public static String snapshotRowsReadMetric(String table) {
        return "snapshotRowsRead_" + table;
    }

    /** A snapshot reader's gauge of a table's documents read so far in the ranges it is reading. */
    public static String snapshotRowsUnderWayMetric(String table) {
        return "snapshotRowsUnderWay_" + table;
    }

    /** The accumulator counting drops ({@link #SOURCE_DROPPED}) or renames ({@link #SOURCE_RENAMED}) of a table's collection. */
    public static String sourceEventCounter(String table, String event) {
        return "cdc." + table + "." + event;
    }

    /** Whether a vertex of the job's graph, by the name Flink reports, starts with the change stream. */
    public static boolean isChangeStreamVertex(String vertexName) {
        return vertexName.startsWith(CHANGE_STREAM_VERTEX) || vertexName.startsWith(SOURCE_VERTEX_PREFIX + CHANGE_STREAM_VERTEX);
    }

    /** The accumulator counting a table's typed-column values that did not fit their types. */
    public static String mismatchCounter(String table) {
        return "columns." + table + ".mismatches";
    }

    /** The accumulator holding the {@code _id} of a document of the table with a value that did not fit. */
    public static String mismatchExample(String table) {
        return "columns." + table + ".mismatchExample";
    }

    /** The accumulator counting a table's changes of one kind: inserts, updates or deletes. */
    public static String changeCounter(String table, String kind) {
        return "cdc." + table + "." + kind;
    }
}
