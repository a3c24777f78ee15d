package dev.ferry.testkit.mongo;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;

/** A cursor the emulator serves itself (change streams, index-bounded finds) rather than mongo-java-server. */
interface EmulatorCursor {

    /** One batch of a cursor reply. */
    record Batch(List<Document> documents, Document postBatchResumeToken, boolean exhausted) {
    }

    long id();

    /** The {@code ns} the cursor replies carry. */
    String namespace();

    /**
     * The next batch: at most {@code batchSize} documents (0 for the server's default), waiting up to
     * {@code awaitMillis} for new data where the cursor is tailable.
     */
    Batch next(int batchSize, long awaitMillis);
}
