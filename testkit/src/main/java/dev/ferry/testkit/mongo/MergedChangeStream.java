package dev.ferry.testkit.mongo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;

/**
 * A change stream opened on the router: one stream per shard, merged in cluster-time order as mongos merges them.
 * An event is handed out only once every shard's stream has passed its cluster time (its postBatchResumeToken),
 * so that no shard's earlier event can come after it; a shard with nothing to say holds the others back until its
 * cluster time moves on by a write or a periodic no-op. The router's resume tokens are the shards' (positions in
 * the one cluster time), so resuming opens every shard's stream after the same token.
 */
final class MergedChangeStream implements EmulatorCursor {

    private static final int DEFAULT_BATCH_SIZE = 1000;
    private static final int MAX_BATCH_BYTES = 16 * 1024 * 1024;
    private static final long POLL_MILLIS = 20;
    private static final Comparator<ResumeToken> ORDER = Comparator.comparing(ResumeToken::position)
        .thenComparingInt(ResumeToken::fragment).thenComparing(ResumeToken::invalidate);

    /** The shards' own streams, as the router reaches them. */
    interface Shards {
        /** The shard's next batch, without waiting: a getMore reply. */
        Document getMore(int shard, long cursorId, int batchSize);

        void kill(int shard, long cursorId);
    }

    /** One shard's stream: its cursor, what it has handed over and not merged yet, and how far it has read. */
    private static final class ShardStream {
        final int shard;
        final long cursorId;
        final Deque<Document> buffer = new ArrayDeque<>();
        ChangeLogPosition readUpTo;
        boolean exhausted;

        ShardStream(int shard, long cursorId, ChangeLogPosition readUpTo) {
            this.shard = shard;
            this.cursorId = cursorId;
            this.readUpTo = readUpTo;
        }
    }

    private final long id;
    private final String namespace;
    private final Shards shards;
    private final List<ShardStream> streams = new ArrayList<>();
    private ResumeToken position;

    /**
     * @param opened per shard, its {@code aggregate} reply (an empty first batch)
     */
    MergedChangeStream(long id, String namespace, Shards shards, List<Document> opened) {
        this.id = id;
        this.namespace = namespace;
        this.shards = shards;
        ResumeToken lowest = null;
        for (int shard = 0; shard < opened.size(); shard++) {
            Document cursor = (Document) opened.get(shard).get("cursor");
            ShardStream stream = new ShardStream(shard, ((Number) cursor.get("id")).longValue(),
                ResumeToken.parse(cursor.get("postBatchResumeToken")).position());
            take(stream, cursor, "firstBatch");
            streams.add(stream);
            ResumeToken token = new ResumeToken(stream.readUpTo, false);
            lowest = lowest == null || ORDER.compare(token, lowest) < 0 ? token : lowest;
        }
        this.position = lowest;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public synchronized Batch next(int batchSize, long awaitMillis) {
        int limit = batchSize > 0 ? batchSize : DEFAULT_BATCH_SIZE;
        long deadline = System.nanoTime() + awaitMillis * 1_000_000;
        while (true) {
            for (ShardStream stream : streams) {
                if (!stream.exhausted && stream.buffer.size() < limit) {
                    Document cursor = (Document) shards.getMore(stream.shard, stream.cursorId, limit).get("cursor");
                    take(stream, cursor, "nextBatch");
                }
            }
            List<Document> merged = merge(limit, passedByAll());
            boolean exhausted = streams.stream().anyMatch(stream -> stream.exhausted && stream.buffer.isEmpty());
            if (!merged.isEmpty() || exhausted || System.nanoTime() >= deadline) {
                return new Batch(merged, position.toDocument(), exhausted);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Batch(merged, position.toDocument(), false);
            }
        }
    }

    /** Kills the shards' streams. */
    void close() {
        for (ShardStream stream : streams) {
            if (!stream.exhausted) {
                shards.kill(stream.shard, stream.cursorId);
            }
        }
    }

    private static void take(ShardStream stream, Document cursor, String batchField) {
        @SuppressWarnings("unchecked")
        List<Document> batch = (List<Document>) cursor.get(batchField);
        stream.buffer.addAll(batch);
        if (cursor.get("postBatchResumeToken") != null) {
            ChangeLogPosition read = ResumeToken.parse(cursor.get("postBatchResumeToken")).position();
            stream.readUpTo = read.compareTo(stream.readUpTo) > 0 ? read : stream.readUpTo;
        }
        if (((Number) cursor.get("id")).longValue() == 0) {
            stream.exhausted = true;
        }
    }

    /** The position every shard's stream has passed: nothing earlier can come from any shard any more. */
    private ChangeLogPosition passedByAll() {
        ChangeLogPosition low = null;
        for (ShardStream stream : streams) {
            if (!stream.exhausted && (low == null || stream.readUpTo.compareTo(low) < 0)) {
                low = stream.readUpTo;
            }
        }
        return low;
    }

    /**
     * Hands out the buffered events up to {@code upTo} (null: every one), oldest first; the stream's position
     * moves to the last one, or to {@code upTo} once nothing before it is left.
     */
    private List<Document> merge(int limit, ChangeLogPosition upTo) {
        List<Document> merged = new ArrayList<>();
        long bytes = 0;
        while (merged.size() < limit) {
            ShardStream first = null;
            ResumeToken firstToken = null;
            for (ShardStream stream : streams) {
                if (!stream.buffer.isEmpty()) {
                    ResumeToken token = ResumeToken.parse(stream.buffer.peekFirst().get("_id"));
                    if (firstToken == null || ORDER.compare(token, firstToken) < 0) {
                        first = stream;
                        firstToken = token;
                    }
                }
            }
            if (first == null || (upTo != null && firstToken.position().compareTo(upTo) > 0)) {
                break;
            }
            long size = BsonBytes.size(first.buffer.peekFirst());
            if (!merged.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
                return merged;
            }
            merged.add(first.buffer.pollFirst());
            bytes += size;
            position = firstToken;
        }
        boolean earlierLeft = upTo == null || streams.stream().anyMatch(stream -> !stream.buffer.isEmpty()
            && ResumeToken.parse(stream.buffer.peekFirst().get("_id")).position().compareTo(upTo) <= 0);
        if (upTo != null && !earlierLeft) {
            ResumeToken passed = new ResumeToken(upTo, false);
            if (ORDER.compare(passed, position) > 0) {
                position = passed;
            }
        }
        return merged;
    }
}
