package dev.ferry.job;

/**
 * The gauges the job shows in Flink's own metrics (its dashboard, and Prometheus through Flink's reporter), for
 * whoever watches Flink: a load's phase and rows, a change stream's position. ferry's own counts come from the sync
 * log, not from these.
 */
public final class JobMetrics {

    /** A load's phase, the value of its {@link #snapshotPhase} gauge: waiting its turn, being read, read. */
    public static final int SNAPSHOT_PHASE_QUEUED = 0;
    public static final int SNAPSHOT_PHASE_LOADING = 1;
    public static final int SNAPSHOT_PHASE_DONE = 2;
    /** The change-stream reader's gauge: seconds its position is behind the wall clock, -1 while unknown. */
    public static final String CHANGE_STREAM_LAG = "changeStreamLagSeconds";

    private JobMetrics() {
    }

    /** The snapshot enumerator's gauge of a table's load phase ({@link #SNAPSHOT_PHASE_QUEUED} ...). */
    public static String snapshotPhase(String table) {
        return "snapshotPhase_" + table;
    }

    /** The snapshot enumerator's gauge of a table's documents in the ranges read to their end. */
    public static String snapshotRowsRead(String table) {
        return "snapshotRowsRead_" + table;
    }

    /** A snapshot reader's gauge of a table's documents read so far in the ranges it is reading. */
    public static String snapshotRowsUnderWay(String table) {
        return "snapshotRowsUnderWay_" + table;
    }
}
