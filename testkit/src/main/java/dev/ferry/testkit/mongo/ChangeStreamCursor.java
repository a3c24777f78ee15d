package dev.ferry.testkit.mongo;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * A change stream: reads the change log after its position, keeps the events in its scope, renders them as
 * MongoDB does, runs the stages that followed {@code $changeStream} on them, and hands them out with a
 * {@code postBatchResumeToken} on every batch. An empty batch still moves the token to the newest cluster time
 * read, so a stream that sees no events of its own keeps a fresh position on a busy deployment.
 */
final class ChangeStreamCursor implements EmulatorCursor {

    /** Like mongod, a batch stops growing once it passes 16 MB. */
    private static final int MAX_BATCH_BYTES = 16 * 1024 * 1024;
    private static final int DEFAULT_BATCH_SIZE = 1000;
    private static final int SCAN_CHUNK = 1000;

    /** Runs the user's stages after {@code $changeStream} on one rendered event. */
    interface EventPipeline {
        List<Document> apply(Document event);
    }

    private final long id;
    private final ChangeStreamScope scope;
    private final ChangeStreamOptions.FullDocument fullDocument;
    private final EventPipeline pipeline;
    private final ChangeLog changeLog;
    private final ChangeRecordingOplog.DocumentLookup lookup;
    private final ChangeStreamImages images;
    private final ChangeStreamOptions.BeforeChange beforeChange;
    /** Documents of an event (fragments of a large one) not handed out yet: the batch was full. */
    private final Deque<Document> pending = new ArrayDeque<>();
    /** The fragment the stream resumed from: its event's fragments up to it are not handed out again. */
    private ResumeToken resumedFragment;
    private ChangeLogPosition position;
    private ResumeToken lastToken;
    private boolean invalidated;

    ChangeStreamCursor(long id, ChangeStreamScope scope, ChangeStreamOptions.FullDocument fullDocument,
                       ChangeStreamOptions.BeforeChange beforeChange, EventPipeline pipeline, ChangeLog changeLog, ChangeRecordingOplog.DocumentLookup lookup,
                       ChangeStreamImages images, ChangeLogPosition startAfter, ResumeToken resumedFragment) {
        this.id = id;
        this.resumedFragment = resumedFragment;
        this.images = images;
        this.beforeChange = beforeChange;
        this.scope = scope;
        this.fullDocument = fullDocument;
        this.pipeline = pipeline;
        this.changeLog = changeLog;
        this.lookup = lookup;
        this.position = startAfter;
        this.lastToken = new ResumeToken(startAfter, false);
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String namespace() {
        return scope.cursorNamespace();
    }

    @Override
    public synchronized Batch next(int batchSize, long awaitMillis) {
        int limit = batchSize > 0 ? batchSize : DEFAULT_BATCH_SIZE;
        List<Document> batch = new ArrayList<>();
        long[] bytes = {0};
        if (!handOut(batch, bytes)) {
            return new Batch(batch, lastToken.toDocument(), false);
        }
        boolean waited = false;
        while (!invalidated) {
            ChangeLog.Slice slice = changeLog.read(position, SCAN_CHUNK);
            for (ChangeEvent event : slice.events()) {
                position = event.position();
                lastToken = new ResumeToken(position, false);
                if (!scope.includes(event)) {
                    continue;
                }
                for (Document rendered : pipeline.apply(render(event))) {
                    if (!resumedPast(rendered)) {
                        pending.add(rendered);
                    }
                }
                resumedFragment = null;
                if (!handOut(batch, bytes)) {
                    return new Batch(batch, lastToken.toDocument(), false);
                }
                if (scope.isInvalidatedBy(event)) {
                    lastToken = new ResumeToken(position, true);
                    batch.add(invalidateEvent(event));
                    invalidated = true;
                    break;
                }
                if (batch.size() >= limit || bytes[0] >= MAX_BATCH_BYTES) {
                    return new Batch(batch, lastToken.toDocument(), false);
                }
            }
            if (invalidated) {
                break;
            }
            position = slice.readUpTo();
            lastToken = new ResumeToken(position, false);
            if (slice.events().size() == SCAN_CHUNK) {
                continue;
            }
            if (!batch.isEmpty() || waited || awaitMillis <= 0) {
                break;
            }
            waited = true;
            awaitNewEvents(awaitMillis);
        }
        return new Batch(batch, lastToken.toDocument(), invalidated);
    }

    /**
     * Moves pending documents into the batch while it has room (a document always goes into an empty batch);
     * false when some had to wait for the next batch. A fragment handed out is the stream's position.
     */
    private boolean handOut(List<Document> batch, long[] bytes) {
        while (!pending.isEmpty()) {
            Document next = pending.peekFirst();
            int size = BsonBytes.size(next);
            if (!batch.isEmpty() && bytes[0] + size > MAX_BATCH_BYTES) {
                return false;
            }
            pending.removeFirst();
            batch.add(next);
            bytes[0] += size;
            if (next.containsKey("splitEvent")) {
                lastToken = ResumeToken.parse(next.get("_id"));
            }
        }
        return true;
    }

    /** Whether {@code rendered} is a fragment up to the one the stream resumed from. */
    private boolean resumedPast(Document rendered) {
        if (resumedFragment == null || !(rendered.get("splitEvent") instanceof Document split)) {
            return false;
        }
        ResumeToken token = ResumeToken.parse(rendered.get("_id"));
        return token.position().equals(resumedFragment.position())
            && ((Number) split.get("fragment")).intValue() <= resumedFragment.fragment();
    }

    private void awaitNewEvents(long awaitMillis) {
        try {
            changeLog.awaitAfter(position, awaitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Document render(ChangeEvent event) {
        Document rendered = new Document("_id", new ResumeToken(event.position(), false).toDocument())
            .append("operationType", event.operationType().wireName())
            .append("clusterTime", event.position().timestamp())
            .append("wallTime", Instant.ofEpochMilli(event.wallTimeMillis()));
        switch (event.operationType()) {
            case INSERT, REPLACE -> rendered.append("fullDocument", event.postImage());
            case UPDATE -> appendUpdateFullDocument(rendered, event);
            default -> {
            }
        }
        switch (event.operationType()) {
            case UPDATE, REPLACE, DELETE -> appendBeforeChange(rendered, event);
            default -> {
            }
        }
        rendered.append("ns", event.namespace().toDocument());
        if (event.documentId() != null) {
            rendered.append("documentKey", event.documentKey());
        }
        if (event.updateDescription() != null) {
            rendered.append("updateDescription", event.updateDescription());
        }
        if (event.renamedTo() != null) {
            rendered.append("to", event.renamedTo().toDocument());
        }
        return rendered;
    }

    private void appendUpdateFullDocument(Document rendered, ChangeEvent event) {
        switch (fullDocument) {
            case DEFAULT -> {
            }
            case UPDATE_LOOKUP -> rendered.append("fullDocument", lookup.find(event.namespace(), event.documentId()));
            case WHEN_AVAILABLE -> rendered.append("fullDocument", images.kept(event) ? event.postImage() : null);
            case REQUIRED -> {
                if (!images.kept(event) || event.postImage() == null) {
                    throw new MongoServerError(286, "ChangeStreamHistoryLost",
                        "fullDocument: 'required' was set, but no post-image was found for " + event.documentId());
                }
                rendered.append("fullDocument", event.postImage());
            }
        }
    }

    private void appendBeforeChange(Document rendered, ChangeEvent event) {
        Document before = images.kept(event) ? event.preImage() : null;
        switch (beforeChange) {
            case OFF -> {
            }
            case WHEN_AVAILABLE -> rendered.append("fullDocumentBeforeChange", before);
            case REQUIRED -> {
                if (before == null) {
                    throw new MongoServerError(286, "ChangeStreamHistoryLost",
                        "fullDocumentBeforeChange: 'required' was set, but no pre-image was found for "
                            + event.documentId());
                }
                rendered.append("fullDocumentBeforeChange", before);
            }
        }
    }

    private static Document invalidateEvent(ChangeEvent cause) {
        return new Document("_id", new ResumeToken(cause.position(), true).toDocument())
            .append("operationType", "invalidate")
            .append("clusterTime", cause.position().timestamp())
            .append("wallTime", Instant.ofEpochMilli(cause.wallTimeMillis()));
    }

    /** Checks that the user's stages left the resume token alone, as mongod insists. */
    static List<Document> requireTokenKept(Document original, Stream<Document> transformed) {
        List<Document> result = transformed.toList();
        for (Document document : result) {
            if (!Objects.equals(document.get("_id"), original.get("_id"))) {
                throw new MongoServerError(280, "ChangeStreamFatalError",
                    "Encountered an event whose _id field, which contains the resume token, was modified by the "
                        + "pipeline. Modifying the _id field of an event makes it impossible to resume the stream "
                        + "from that point.");
            }
        }
        return result;
    }
}
