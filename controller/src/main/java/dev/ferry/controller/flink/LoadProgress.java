package dev.ferry.controller.flink;

import dev.ferry.common.JobGraphNames;

/**
 * How far the job's snapshot has come with one table: its phase, how many documents its readers have read, and
 * how fast (documents per second between the controller's last two readings, 0 until there are two).
 */
public record LoadProgress(Phase phase, long rowsRead, double rowsPerSecond) {

    /** Nothing known: the job has no snapshot, or it did not answer. */
    public static final LoadProgress NONE = new LoadProgress(Phase.QUEUED, 0, 0);

    /** This reading with its rate since {@code earlier}, taken {@code seconds} before. */
    public LoadProgress withRateSince(LoadProgress earlier, double seconds) {
        double rate = seconds > 0 && rowsRead >= earlier.rowsRead ? (rowsRead - earlier.rowsRead) / seconds : 0;
        return new LoadProgress(phase, rowsRead, rate);
    }

    /** A load's phase, as the snapshot's enumerator reports it. */
    public enum Phase {
        /** waiting for its turn ({@code snapshotParallelTables} tables load at a time) */
        QUEUED,
        /** its collection is being read */
        LOADING,
        /** every range of its collection is read */
        DONE;

        public static Phase of(int gauge) {
            return switch (gauge) {
                case JobGraphNames.SNAPSHOT_PHASE_LOADING -> LOADING;
                case JobGraphNames.SNAPSHOT_PHASE_DONE -> DONE;
                default -> QUEUED;
            };
        }
    }
}
