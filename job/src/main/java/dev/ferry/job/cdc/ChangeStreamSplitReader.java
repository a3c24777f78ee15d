package dev.ferry.job.cdc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonTimestamp;
import org.bson.RawBsonDocument;
import org.bson.codecs.Codec;
import org.bson.codecs.DecoderContext;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;

import dev.ferry.common.JobSpec;
import dev.ferry.common.PipeFailure;

/**
 * Reads the deployment's change stream, filtered to the watched collections, from where the split says. Each
 * fetch returns what one getMore brought (waiting at most a second), and always ends with the cursor's resume
 * token, so that checkpoints carry the newest position even when no change of ours arrived. Where the server splits
 * events over 16 MB ({@link LargeEventSupport}), their fragments are joined again ({@link EventFragments}), and the
 * position does not move while some are missing; where it cannot, such an event fails the pipe with the document
 * it belongs to named.
 */
final class ChangeStreamSplitReader implements SplitReader<ChangeStreamRecord, ChangeStreamSplit> {

    private static final long MAX_AWAIT_MILLIS = 1000;
    /** MongoDB's error code for a resume point no longer in the oplog. */
    private static final int CHANGE_STREAM_HISTORY_LOST = 286;

    private final JobSpec.Source mongo;
    private final WatchedCollections collections;
    private final int batchSize;
    private final EventFragments fragments = new EventFragments();
    private MongoClient client;
    private MongoChangeStreamCursor<RawBsonDocument> cursor;
    private Codec<ChangeStreamDocument<RawBsonDocument>> codec;
    private boolean splitsLargeEvents;
    /** The newest position passed (a whole event's token, or a batch's), where a probe of a failed event starts. */
    private BsonDocument lastPosition;
    private ChangeStreamSplit split;

    ChangeStreamSplitReader(JobSpec.Source mongo, WatchedCollections collections, int batchSize) {
        this.mongo = mongo;
        this.collections = collections;
        this.batchSize = batchSize;
    }

    @Override
    public RecordsWithSplitIds<ChangeStreamRecord> fetch() throws IOException {
        RecordsBySplits.Builder<ChangeStreamRecord> records = new RecordsBySplits.Builder<>();
        if (cursor == null) {
            return records.build();
        }
        try {
            // the first tryNext may wait for a getMore; the rest only drain the batch it brought
            RawBsonDocument event = cursor.tryNext();
            while (event != null) {
                Optional<BsonDocument> whole = fragments.add(event);
                if (whole.isPresent()) {
                    ChangeStreamDocument<RawBsonDocument> change = decode(whole.get());
                    records.add(ChangeStreamSplit.ID, new ChangeStreamRecord(change, change.getResumeToken()));
                    lastPosition = change.getResumeToken();
                }
                event = cursor.available() > 0 ? cursor.tryNext() : null;
            }
        } catch (MongoException e) {
            throw classified(e);
        }
        BsonDocument position = cursor.getResumeToken();
        if (position != null && !fragments.pending()) {
            records.add(ChangeStreamSplit.ID, ChangeStreamRecord.position(position));
            lastPosition = position;
        }
        return records.build();
    }

    /**
     * An event read from its bytes, as the driver reads one (its document kept raw, without a copy through a
     * writer), or, joined from fragments, from its fields.
     */
    private ChangeStreamDocument<RawBsonDocument> decode(BsonDocument event) {
        return event instanceof RawBsonDocument raw ? raw.decode(codec)
            : codec.decode(new BsonDocumentReader(event), DecoderContext.builder().build());
    }

    @Override
    public void handleSplitsChanges(SplitsChange<ChangeStreamSplit> splitsChange) {
        if (!(splitsChange instanceof SplitsAddition<ChangeStreamSplit> addition)) {
            throw new UnsupportedOperationException("the change-stream split is never removed: " + splitsChange);
        }
        List<ChangeStreamSplit> splits = addition.splits();
        if (splits.size() != 1 || cursor != null) {
            throw new IllegalStateException("a change-stream reader reads exactly one split, got " + splits);
        }
        open(splits.get(0));
    }

    private void open(ChangeStreamSplit split) {
        this.split = split;
        client = MongoClients.create(mongo.connectionString());
        codec = ChangeStreamDocument.createCodec(RawBsonDocument.class, MongoClientSettings.getDefaultCodecRegistry());
        try {
            splitsLargeEvents = LargeEventSupport.of(client);
            List<BsonDocument> pipeline = new ArrayList<>(List.of(collections.matchStage()));
            if (splitsLargeEvents) {
                pipeline.add(LargeEventSupport.SPLIT_STAGE);
            }
            // raw events: fragments of a large event are joined before they are read as changes
            MongoCursor<RawBsonDocument> raw = from(stream(pipeline)).withDocumentClass(RawBsonDocument.class)
                .cursor();
            if (!(raw instanceof MongoChangeStreamCursor<RawBsonDocument> changeCursor)) {
                throw new IllegalStateException("the MongoDB driver's change stream gave no change-stream cursor");
            }
            cursor = changeCursor;
        } catch (MongoException e) {
            throw classified(e);
        }
    }

    private ChangeStreamIterable<RawBsonDocument> stream(List<BsonDocument> pipeline) {
        return client.watch(pipeline, RawBsonDocument.class)
            // post-images: each update with the document as that update left it, with no race against later writes
            .fullDocument(mongo.postImages() ? FullDocument.WHEN_AVAILABLE : FullDocument.UPDATE_LOOKUP)
            .batchSize(batchSize)
            .maxAwaitTime(MAX_AWAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The stream from the newest position passed, or from where the split starts. */
    private ChangeStreamIterable<RawBsonDocument> from(ChangeStreamIterable<RawBsonDocument> stream) {
        if (lastPosition != null) {
            return stream.resumeAfter(lastPosition);
        }
        if (split.resumeToken() != null) {
            return stream.resumeAfter(BsonDocument.parse(split.resumeToken()));
        }
        return stream.startAtOperationTime(new BsonTimestamp(split.startAtOperationTime()));
    }

    /**
     * A lost resume point (286, ChangeStreamHistoryLost) can never heal: the job fails with a {@link PipeFailure}
     * that the controller recognises; other errors (an outage, say) are left to Flink's restarts.
     */
    private RuntimeException classified(MongoException e) {
        if (e.getCode() == CHANGE_STREAM_HISTORY_LOST) {
            return PipeFailure.CHANGE_STREAM_HISTORY_LOST.exception("MongoDB no longer has the change stream's "
                + "resume point in its oplog", e);
        }
        if (e.getCode() == LargeEventSupport.BSON_OBJECT_TOO_LARGE && !splitsLargeEvents) {
            return PipeFailure.CHANGE_EVENT_TOO_LARGE.exception(LargeEventSupport.tooLarge(
                from(stream(List.of(collections.matchStage(), LargeEventSupport.KEY_ONLY)))), e);
        }
        return e;
    }

    @Override
    public void wakeUp() {
        // a fetch returns by itself after at most one getMore wait
    }

    @Override
    public void close() {
        // the client is closed even when closing the cursor fails (a cancelled job interrupts this thread), or its
        // monitor threads would outlive the job
        try {
            if (cursor != null) {
                cursor.close();
            }
        } finally {
            if (client != null) {
                client.close();
            }
        }
    }
}
