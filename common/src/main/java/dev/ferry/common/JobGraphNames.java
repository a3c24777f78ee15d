package dev.ferry.common;

/**
 * The names the job gives its vertices and counters, which the controller reads back through Flink's REST API to
 * tell Snapshot from Running and to show progress. A class of its own so that the controller can use it without
 * loading the job's connectors.
 */
public final class JobGraphNames {

    public static final String SNAPSHOT_VERTEX_PREFIX = "Snapshot ";
    public static final String CHANGE_STREAM_VERTEX = "Change stream";
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

    public static String snapshotVertex(String table) {
        return SNAPSHOT_VERTEX_PREFIX + table;
    }

    /** Whether a vertex of the job's graph, by the name Flink reports, is the snapshot of {@code table}. */
    public static boolean isSnapshotVertexOf(String vertexName, String table) {
        String name = snapshotVertex(table);
        return vertexName.equals(name) || vertexName.equals(SOURCE_VERTEX_PREFIX + name);
    }

    /** The accumulator counting drops ({@link #SOURCE_DROPPED}) or renames ({@link #SOURCE_RENAMED}) of a table's collection. */
    public static String sourceEventCounter(String table, String event) {
        return "cdc." + table + "." + event;
    }

    /** Whether a vertex of the job's graph, by the name Flink reports, starts with the change stream. */
    public static boolean isChangeStreamVertex(String vertexName) {
        return vertexName.startsWith(CHANGE_STREAM_VERTEX) || vertexName.startsWith(SOURCE_VERTEX_PREFIX + CHANGE_STREAM_VERTEX);
    }

    /** The accumulator counting a table's changes of one kind: inserts, updates or deletes. */
    public static String changeCounter(String table, String kind) {
        return "cdc." + table + "." + kind;
    }
}
