package dev.ferry.job.cdc;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The one split of the change-stream source: where the stream continues. Before the first event it is the
 * operation time captured before the snapshot began; after it, the resume token of the last change (or of the
 * last empty batch) together with how many changes of that cluster time were already read, so that the changes
 * of a transaction get the same statement index when they are read again.
 *
 * @param resumeToken            the resume token as extended JSON, or null before the first batch
 * @param startAtOperationTime   the BSON timestamp value to start at when there is no token
 * @param lastClusterTime        the BSON timestamp value of the last change read, 0 before any
 * @param changesAtLastClusterTime how many changes with {@code lastClusterTime} were read
 */
public record ChangeStreamSplit(String resumeToken, long startAtOperationTime, long lastClusterTime,
                                int changesAtLastClusterTime) implements SourceSplit {

    public static final String ID = "change-stream";

    public static ChangeStreamSplit startingAt(long operationTime) {
        return new ChangeStreamSplit(null, operationTime, 0, 0);
    }

    @Override
    public String splitId() {
        return ID;
    }
}
