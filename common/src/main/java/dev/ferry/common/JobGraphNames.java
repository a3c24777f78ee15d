package dev.ferry.common;

/**
 * The names the job gives its vertices and counters, which the controller reads back through Flink's REST API to
 * tell Snapshot from Running and to learn of collections dropped or renamed. A class of its own so that the
 * controller can use it without loading the job's connectors.
 */
public final class JobGraphNames {

    /** The source that loads the collections (all of them, a few at a time), and its vertex. */
    public static final String SNAPSHOT_VERTEX = "Snapshot";
    public static final String CHANGE_STREAM_VERTEX = "Change stream";
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

    /** The accumulator counting drops ({@link #SOURCE_DROPPED}) or renames ({@link #SOURCE_RENAMED}) of a table's collection. */
    public static String sourceEventCounter(String table, String event) {
        return "cdc." + table + "." + event;
    }
}
