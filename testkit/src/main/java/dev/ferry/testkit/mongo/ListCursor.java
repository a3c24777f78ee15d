package dev.ferry.testkit.mongo;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;

/**
 * A finite result handed out batch by batch, as mongod hands out a query's result: the first batch holds
 * {@code batchSize} documents, or 101 when the query gives none; each later one {@code batchSize}, or as many as fit
 * in 16 MiB; no batch is larger than 16 MiB, except one of a single document.
 */
final class ListCursor implements EmulatorCursor {

    static final int FIRST_BATCH_SIZE = 101;
    static final int MAX_BATCH_BYTES = 16 * 1024 * 1024;

    private final long id;
    private final String namespace;
    private final List<Document> documents;
    private int next;

    ListCursor(long id, String namespace, List<Document> documents) {
        this.id = id;
        this.namespace = namespace;
        this.documents = documents;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String namespace() {
        return namespace;
    }

    /** The first batch of the query's reply. */
    synchronized Batch first(int batchSize) {
        return take(batchSize > 0 ? batchSize : FIRST_BATCH_SIZE);
    }

    @Override
    public synchronized Batch next(int batchSize, long awaitMillis) {
        return take(batchSize > 0 ? batchSize : Integer.MAX_VALUE);
    }

    private Batch take(int limit) {
        List<Document> batch = new ArrayList<>();
        long bytes = 0;
        while (next < documents.size() && batch.size() < limit) {
            long size = BsonBytes.size(documents.get(next));
            if (!batch.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
                break;
            }
            batch.add(documents.get(next++));
            bytes += size;
        }
        return new Batch(batch, null, next >= documents.size());
    }
}
