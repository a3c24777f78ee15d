package dev.ferry.testkit.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * Change events over 16 MB, as mongod treats them: without {@code $changeStreamSplitLargeEvent} (MongoDB 7.0, and
 * 6.0.9) such an event fails the stream with BSONObjectTooLarge; with it, the event comes as fragments, each under
 * 16 MB and with its own resume token, its top-level fields in their order, each fragment saying which it is in
 * {@code splitEvent: {fragment, of}}.
 */
final class LargeEvents {

    static final String STAGE = "$changeStreamSplitLargeEvent";
    /** The largest event mongod returns whole (BSONObjMaxUserSize). */
    static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;
    /** The size mongod names in its BSONObjectTooLarge error: 16 MB and the 16 KB it allows internally. */
    private static final int INTERNAL_MAX_BYTES = MAX_EVENT_BYTES + 16 * 1024;
    /** Room kept in each fragment for its _id and splitEvent. */
    private static final int FRAGMENT_OVERHEAD = 256;

    private LargeEvents() {
    }

    /** The error mongod gives for an event over 16 MB in a stream that does not split events. */
    static void requireFits(Document event) {
        int size = BsonBytes.size(event);
        if (size > MAX_EVENT_BYTES) {
            throw new MongoServerError(10334, "BSONObjectTooLarge", "Executor error during getMore :: caused by :: "
                + "BSONObj size: " + size + " (0x" + Integer.toHexString(size).toUpperCase() + ") is invalid. Size "
                + "must be between 0 and " + INTERNAL_MAX_BYTES + "(16MB) First element: _id: " + event.get("_id"));
        }
    }

    /** The event itself when it fits, else its fragments. */
    static List<Document> split(Document event) {
        if (BsonBytes.size(event) <= MAX_EVENT_BYTES) {
            return List.of(event);
        }
        ResumeToken token = ResumeToken.parse(event.get("_id"));
        List<Document> fields = new ArrayList<>();
        List<Document> parts = new ArrayList<>();
        Document part = new Document();
        int partBytes = FRAGMENT_OVERHEAD;
        for (Map.Entry<String, Object> field : event.entrySet()) {
            if (field.getKey().equals("_id")) {
                continue;
            }
            Document alone = new Document(field.getKey(), field.getValue());
            int bytes = BsonBytes.size(alone);
            if (bytes + FRAGMENT_OVERHEAD > MAX_EVENT_BYTES) {
                throw new MongoServerError(7182803, "Location7182803", "Cannot split the change event " + event
                    .get("_id") + ": its field '" + field.getKey() + "' alone is over 16 MB");
            }
            if (!part.isEmpty() && partBytes + bytes > MAX_EVENT_BYTES) {
                parts.add(part);
                part = new Document();
                partBytes = FRAGMENT_OVERHEAD;
            }
            part.put(field.getKey(), field.getValue());
            partBytes += bytes;
        }
        parts.add(part);
        for (int i = 0; i < parts.size(); i++) {
            Document fragment = new Document("_id", token.fragment(i + 1).toDocument())
                .append("splitEvent", new Document("fragment", i + 1).append("of", parts.size()));
            fragment.putAll(parts.get(i));
            fields.add(fragment);
        }
        return fields;
    }
}
