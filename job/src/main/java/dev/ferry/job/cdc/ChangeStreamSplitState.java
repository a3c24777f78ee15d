package dev.ferry.job.cdc;

/** The mutable position of the split while a reader emits from it; snapshotted into a {@link ChangeStreamSplit}. */
final class ChangeStreamSplitState {

    private String resumeToken;
    private final long startAtOperationTime;
    private long lastClusterTime;
    private int changesAtLastClusterTime;

    ChangeStreamSplitState(ChangeStreamSplit split) {
        this.resumeToken = split.resumeToken();
        this.startAtOperationTime = split.startAtOperationTime();
        this.lastClusterTime = split.lastClusterTime();
        this.changesAtLastClusterTime = split.changesAtLastClusterTime();
    }

    /** The statement index of a change at {@code clusterTime}: its place among the changes sharing that time. */
    int nextIndexAt(long clusterTime) {
        if (clusterTime != lastClusterTime) {
            lastClusterTime = clusterTime;
            changesAtLastClusterTime = 0;
        }
        return changesAtLastClusterTime++;
    }

    void moveTo(String token) {
        this.resumeToken = token;
    }

    ChangeStreamSplit toSplit() {
        return new ChangeStreamSplit(resumeToken, startAtOperationTime, lastClusterTime, changesAtLastClusterTime);
    }
}
