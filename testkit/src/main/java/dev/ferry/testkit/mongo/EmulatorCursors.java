package dev.ferry.testkit.mongo;

import java.time.Duration;
import java.util.Map;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cursors the emulator serves itself. Their ids live in a range of their own, far above the ids
 * mongo-java-server hands out from 1 upwards, so a {@code getMore} can be routed by id alone. Like mongod, a cursor
 * nobody asked for in ten minutes is closed.
 */
final class EmulatorCursors {

    private static final long FIRST_ID = 1L << 48;
    private static final long IDLE_TIMEOUT_NANOS = Duration.ofMinutes(10).toNanos();

    private record Entry(EmulatorCursor cursor, long lastUsedNanos) {
    }

    private final AtomicLong nextId = new AtomicLong(FIRST_ID);
    private final Map<Long, Entry> cursors = new ConcurrentHashMap<>();

    long newId() {
        return nextId.getAndIncrement();
    }

    void register(EmulatorCursor cursor) {
        closeIdle();
        cursors.put(cursor.id(), new Entry(cursor, System.nanoTime()));
    }

    /** The cursor with this id, or null when the emulator does not serve it. */
    EmulatorCursor find(long id) {
        Entry entry = cursors.computeIfPresent(id, (key, old) -> new Entry(old.cursor(), System.nanoTime()));
        return entry == null ? null : entry.cursor();
    }

    boolean owns(long id) {
        return id >= FIRST_ID && id < nextId.get();
    }

    boolean remove(long id) {
        return cursors.remove(id) != null;
    }

    /**
     * A {@code getMore} of one of these cursors: its next batch, waiting up to the request's {@code maxTimeMS}
     * (else {@code defaultAwaitMillis}) where it is tailable; a cursor that fails or is exhausted is closed.
     */
    Document getMore(Document query, long cursorId, long defaultAwaitMillis) {
        EmulatorCursor cursor = find(cursorId);
        if (cursor == null) {
            throw new MongoServerError(43, "CursorNotFound", "cursor id " + cursorId + " not found");
        }
        long await = query.get("maxTimeMS") instanceof Number maxTime ? maxTime.longValue() : defaultAwaitMillis;
        int batchSize = query.get("batchSize") instanceof Number size ? size.intValue() : 0;
        EmulatorCursor.Batch batch;
        try {
            batch = cursor.next(batchSize, await);
        } catch (RuntimeException e) {
            remove(cursorId);
            throw e;
        }
        if (batch.exhausted()) {
            remove(cursorId);
        }
        return reply("nextBatch", cursor, batch);
    }

    /** A cursor's reply: its batch ({@code firstBatch} or {@code nextBatch}), id (0 once exhausted) and ns. */
    static Document reply(String batchField, EmulatorCursor cursor, EmulatorCursor.Batch batch) {
        Document body = new Document(batchField, batch.documents());
        body.putIfNotNull("postBatchResumeToken", batch.postBatchResumeToken());
        body.append("id", batch.exhausted() ? 0L : cursor.id());
        body.append("ns", cursor.namespace());
        return new Document("cursor", body).append("ok", 1.0);
    }

    /** The cluster time every reply of a replica set member or a router carries, and its operation time. */
    static void stampClusterTime(Document reply, BsonTimestamp clusterTime) {
        reply.put("$clusterTime", new Document("clusterTime", clusterTime)
            .append("signature", new Document("hash", new BinData(new byte[20])).append("keyId", 0L)));
        reply.put("operationTime", clusterTime);
    }

    private void closeIdle() {
        long now = System.nanoTime();
        cursors.values().removeIf(entry -> now - entry.lastUsedNanos() > IDLE_TIMEOUT_NANOS);
    }
}
