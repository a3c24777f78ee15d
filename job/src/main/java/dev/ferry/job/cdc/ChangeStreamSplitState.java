package dev.ferry.job.cdc;

import org.bson.BsonDocument;

/**
 * The mutable position of the split while a reader emits from it; snapshotted into a {@link ChangeStreamSplit}. The
 * token is kept as the driver gave it and written as JSON only when a checkpoint asks for the split.
 */
final class ChangeStreamSplitState {

    private final String restoredToken;
    private BsonDocument resumeToken;
    private final long startAtOperationTime;
    private long lastClusterTime;
    private int changesAtLastClusterTime;

    ChangeStreamSplitState(ChangeStreamSplit split) {
        this.restoredToken = split.resumeToken();
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

    void moveTo(BsonDocument token) {
        this.resumeToken = token;
    }

    ChangeStreamSplit toSplit() {
        return new ChangeStreamSplit(resumeToken == null ? restoredToken : resumeToken.toJson(), startAtOperationTime,
            lastClusterTime, changesAtLastClusterTime);
    }
}
