package dev.ferry.job.cdc;

import org.bson.BsonDocument;

import dev.ferry.common.mongo.ResumeTokens;

/**
 * How far the change stream's position is behind the wall clock, in seconds: what the reader's
 * {@code changeStreamLagSeconds} gauge shows in Flink's metrics (how far ClickHouse is behind, the pipe's lag, is the
 * controller's to tell, from the sync log). An idle stream keeps up too, since its position moves with the
 * cluster's no-op writes.
 */
final class StreamLag {

    /** Seconds of the cluster time the stream has passed; -1 until a position with a readable time is seen. */
    private volatile long positionSeconds = -1;

    void movedTo(BsonDocument token) {
        ResumeTokens.clusterTime(token).ifPresent(clusterTime -> positionSeconds = clusterTime >>> 32);
    }

    /** The lag at {@code nowMillis}, or -1 while it is unknown. */
    long seconds(long nowMillis) {
        long position = positionSeconds;
        return position < 0 ? -1 : Math.max(0, nowMillis / 1000 - position);
    }
}
