package dev.ferry.testkit.mongo;

import java.time.Clock;

import de.bwaldvogel.mongo.bson.BsonTimestamp;

/**
 * Where cluster times come from: seconds of the wall clock, and an increment that orders the operations of one
 * second. A replica set has a clock of its own; the shards of a sharded cluster share one, as MongoDB's shards keep
 * their logical clocks in step through the cluster time every message carries, so that an operation anywhere is
 * later than every operation a client has seen before it, and the events of all shards order by cluster time.
 */
final class ClusterClock {

    private final Clock wallClock;
    private long last;

    ClusterClock(Clock wallClock) {
        this.wallClock = wallClock;
    }

    static ClusterClock system() {
        return new ClusterClock(Clock.systemUTC());
    }

    long millis() {
        return wallClock.millis();
    }

    /** A cluster time later than every one handed out before, and not before {@code atLeast}. */
    synchronized BsonTimestamp next(BsonTimestamp atLeast) {
        long seconds = wallClock.millis() / 1000;
        last = Math.max(Math.max((seconds << 32) | 1, last + 1), atLeast.getValue() + 1);
        return new BsonTimestamp(last);
    }

    /** The newest cluster time handed out (0 when none was). */
    synchronized long latest() {
        return last;
    }
}
