package dev.ferry.testkit.mongo;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * The emulator's oplog as change streams see it: a bounded, ordered log of change events with cluster times
 * that never go backwards. When it grows past its capacity the oldest events go, and a stream that still needed
 * them fails with {@code ChangeStreamHistoryLost} (286), as on a mongod whose oplog rolled over.
 */
final class ChangeLog implements AutoCloseable {

    static final int HISTORY_LOST = 286;

    private final ChangeLogStore store;
    private final long capacity;
    private final long noopIntervalSeconds;
    private final ClusterClock clock;
    private ChangeLogPosition head;

    /**
     * @param noopIntervalSeconds how long the log may stay idle before its cluster time moves on by itself, as
     *                            mongod's periodic no-op writer moves the oplog's
     */
    ChangeLog(ChangeLogStore store, long capacity, long noopIntervalSeconds, ClusterClock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("change log capacity must be at least 1, got " + capacity);
        }
        this.store = store;
        this.capacity = capacity;
        this.noopIntervalSeconds = noopIntervalSeconds;
        this.clock = clock;
        // an empty log still has a cluster time: the moment it was opened; a reopened one is at least there too,
        // past any no-op a stream may have passed before the restart
        ChangeLogPosition opened = new ChangeLogPosition((clock.millis() / 1000) << 32, 0);
        this.head = store.last().filter(last -> last.compareTo(opened) > 0).orElse(opened);
    }

    /** Appends one operation with a cluster time of its own. */
    synchronized ChangeEvent append(ChangeEvent.Draft draft) {
        return appendAll(List.of(draft)).get(0);
    }

    /** Appends the operations of one transaction: one cluster time, in statement order. */
    synchronized List<ChangeEvent> appendAll(List<ChangeEvent.Draft> drafts) {
        return appendAll(drafts, clock.next(head.timestamp()), 0);
    }

    /**
     * Appends the parts of a transaction that spans shards, each to its shard's log, all at one commit time and
     * numbered one after another, as a sharded cluster's two-phase commit gives every participant the same commit
     * timestamp. Every log is held meanwhile, so that no shard's time passes the commit time before its part is in.
     */
    static void appendAcross(ClusterClock clock, List<ChangeLog> logs, List<List<ChangeEvent.Draft>> parts) {
        holding(logs, 0, () -> {
            long newest = logs.stream().mapToLong(log -> log.head.timestamp().getValue()).max().orElse(0);
            BsonTimestamp commitTime = clock.next(new BsonTimestamp(newest));
            int index = 0;
            for (int i = 0; i < logs.size(); i++) {
                logs.get(i).appendAll(parts.get(i), commitTime, index);
                index += parts.get(i).size();
            }
        });
    }

    /** Runs {@code action} holding every log from {@code from} on, taken in the order given (the shards'). */
    private static void holding(List<ChangeLog> logs, int from, Runnable action) {
        if (from == logs.size()) {
            action.run();
            return;
        }
        synchronized (logs.get(from)) {
            holding(logs, from + 1, action);
        }
    }

    /** Appends one shard's part of a transaction at its commit time, numbered from {@code firstIndex}. */
    private synchronized List<ChangeEvent> appendAll(List<ChangeEvent.Draft> drafts, BsonTimestamp clusterTime,
                                                     int firstIndex) {
        long wallTime = clock.millis();
        List<ChangeEvent> appended = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            ChangeEvent event = drafts.get(i).at(ChangeLogPosition.of(clusterTime, firstIndex + i), wallTime);
            store.append(event);
            appended.add(event);
            head = event.position();
        }
        while (store.size() > capacity) {
            store.removeOldest().ifPresent(store::setTruncatedUpTo);
        }
        notifyAll();
        return appended;
    }

    /** The cluster time of the newest operation: what replies carry as {@code operationTime}. */
    synchronized ChangeLogPosition head() {
        return head;
    }

    /** Fails with ChangeStreamHistoryLost unless every event after {@code after} is still in the log. */
    void requireHistoryAfter(ChangeLogPosition after) {
        if (store.truncatedUpTo().compareTo(after) > 0) {
            throw new MongoServerError(HISTORY_LOST, "ChangeStreamHistoryLost",
                "Resume of change stream was not possible, as the resume point may no longer be in the oplog.");
        }
    }

    /** A slice of the log: the events read and the position up to which the log was read. */
    record Slice(List<ChangeEvent> events, ChangeLogPosition readUpTo) {
    }

    /**
     * Reads up to {@code limit} events after {@code after}. The slice ends at the head seen before reading, or
     * at the last event returned when the limit cut it short, so a reader that continues from
     * {@link Slice#readUpTo()} misses nothing appended meanwhile.
     */
    Slice read(ChangeLogPosition after, int limit) {
        ChangeLogPosition upTo = advanceIfIdle();
        List<ChangeEvent> events = store.read(after, upTo, limit);
        // checked after reading: events evicted while we read would otherwise be skipped silently
        requireHistoryAfter(after);
        ChangeLogPosition readUpTo = events.size() < limit || events.isEmpty()
            ? max(after, upTo) : events.get(events.size() - 1).position();
        return new Slice(events, readUpTo);
    }

    /**
     * Moves the cluster time on when nothing was written for the no-op interval, as mongod's no-op writes do: no
     * change stream shows them as events, but every stream's postBatchResumeToken passes them. A no-op takes a
     * cluster time of its own (on a shard, past every operation of the cluster so far: this log will have none
     * before it).
     */
    private synchronized ChangeLogPosition advanceIfIdle() {
        long seconds = clock.millis() / 1000;
        if (seconds - Integer.toUnsignedLong(head.timestamp().getTime()) >= noopIntervalSeconds) {
            head = new ChangeLogPosition(clock.next(head.timestamp()).getValue(), 0);
            notifyAll();
        }
        return head;
    }

    /** Waits until something is appended after {@code after}, at most {@code millis}; true when it was. */
    synchronized boolean awaitAfter(ChangeLogPosition after, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (head.compareTo(after) <= 0) {
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                return false;
            }
            wait(remaining);
        }
        return true;
    }

    long size() {
        return store.size();
    }

    private static ChangeLogPosition max(ChangeLogPosition a, ChangeLogPosition b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public void close() {
        store.close();
    }
}
