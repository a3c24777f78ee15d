package dev.ferry.testkit.mongo;

import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;

/** A finite result handed out batch by batch. */
final class ListCursor implements EmulatorCursor {

    private static final int DEFAULT_BATCH_SIZE = 101;

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

    @Override
    public synchronized Batch next(int batchSize, long awaitMillis) {
        int size = batchSize > 0 ? batchSize : DEFAULT_BATCH_SIZE;
        int end = Math.min(documents.size(), next + size);
        List<Document> batch = new ArrayList<>(documents.subList(next, end));
        next = end;
        return new Batch(batch, null, next >= documents.size());
    }
}
