package dev.ferry.job.cdc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.Document;
import org.bson.RawBsonDocument;

import com.mongodb.MongoException;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.model.changestream.ChangeStreamDocument;

import dev.ferry.common.encoding.DocumentIds;

/**
 * Change events over 16 MB: whether the server splits them ({@code $changeStreamSplitLargeEvent}, MongoDB 7.0 and
 * 6.0.9), and, where it cannot, which document an event too large for it belongs to.
 */
final class LargeEventSupport {

    /** The last stage of a stream whose large events come as fragments. */
    static final BsonDocument SPLIT_STAGE = new BsonDocument("$changeStreamSplitLargeEvent", new BsonDocument());
    /** mongod's error for a document (here: an event) over its size limit. */
    static final int BSON_OBJECT_TOO_LARGE = 10334;
    /** A stage that leaves an event small: which document, where, when; not the document itself. */
    static final BsonDocument KEY_ONLY = new BsonDocument("$project", new BsonDocument("documentKey", new BsonInt32(1))
        .append("ns", new BsonInt32(1)).append("clusterTime", new BsonInt32(1))
        .append("operationType", new BsonInt32(1)));
    private static final Duration PROBE_TIME = Duration.ofSeconds(30);

    private LargeEventSupport() {
    }

    /** Whether the server splits large events: 7.0 and newer, and 6.0 from 6.0.9. */
    static boolean of(MongoClient client) {
        List<Integer> version = client.getDatabase("admin").runCommand(new Document("buildInfo", 1))
            .getList("versionArray", Integer.class, List.of(0, 0, 0));
        int major = version.get(0);
        int minor = version.size() > 1 ? version.get(1) : 0;
        int patch = version.size() > 2 ? version.get(2) : 0;
        return major > 6 || (major == 6 && (minor > 0 || patch >= 9));
    }

    /**
     * What to tell the user about the event the stream could not return: the document it belongs to, read with a
     * stream of the same start that keeps only the event's key ({@code probe}), and what to do.
     */
    static String tooLarge(ChangeStreamIterable<RawBsonDocument> probe) {
        String which = "a document";
        long deadline = System.nanoTime() + PROBE_TIME.toNanos();
        try (MongoChangeStreamCursor<ChangeStreamDocument<RawBsonDocument>> cursor = probe.cursor()) {
            ChangeStreamDocument<RawBsonDocument> change = null;
            while (change == null && System.nanoTime() < deadline) {
                change = cursor.tryNext();
            }
            if (change != null && change.getDocumentKey() != null && change.getNamespace() != null) {
                which = "the document with _id " + DocumentIds.toColumn(change.getDocumentKey().get("_id")) + " in "
                    + change.getNamespace().getFullName() + " (" + change.getOperationTypeString() + " at "
                    + Instant.ofEpochSecond(change.getClusterTime().getTime()) + ")";
            }
        } catch (MongoException | IllegalStateException e) {
            // the message goes without the document's name
        }
        return "the change event of " + which + " is over MongoDB's 16 MB limit, and this MongoDB server cannot "
            + "split it; upgrade MongoDB to 6.0.9 or 7.0 (ferry then reads such events in fragments and joins them) "
            + "and resync the pipe, or keep the document and its changes smaller";
    }
}
