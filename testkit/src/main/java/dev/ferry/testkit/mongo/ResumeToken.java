package dev.ferry.testkit.mongo;

import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * A change stream resume token, {@code {_data: "<hex>"}} like MongoDB's: ordered like the events it names, and,
 * as in MongoDB 4.2 and newer, starting with the event's cluster time in KeyString form (type byte {@code 82},
 * then seconds and increment, big-endian), the one part of a token that tools read. It carries the change log position the stream has passed and whether it is the token of an
 * {@code invalidate} event, which {@code resumeAfter} refuses and {@code startAfter} accepts, and, for a fragment of
 * an event split by {@code $changeStreamSplitLargeEvent}, the fragment's number (0: not a fragment), which sorts
 * the fragments after their event's position and before the next event's.
 */
record ResumeToken(ChangeLogPosition position, boolean invalidate, int fragment) {

    private static final String TIMESTAMP_TYPE = "82";
    private static final String EVENT_SUFFIX = "00";
    private static final String INVALIDATE_SUFFIX = "01";

    ResumeToken(ChangeLogPosition position, boolean invalidate) {
        this(position, invalidate, 0);
    }

    /** The token of fragment {@code number} (from 1) of this token's event. */
    ResumeToken fragment(int number) {
        return new ResumeToken(position, false, number);
    }

    Document toDocument() {
        return new Document("_data", TIMESTAMP_TYPE + position.key() + (invalidate ? INVALIDATE_SUFFIX : EVENT_SUFFIX)
            + (fragment > 0 ? String.format("%02x", fragment) : ""));
    }

    static ResumeToken parse(Object token) {
        if (!(token instanceof Map<?, ?> map) || !(map.get("_data") instanceof String data)) {
            throw invalid("resume token must be a document with a string field '_data', got: " + token);
        }
        String suffix = data.length() >= 28 ? data.substring(26, 28) : "";
        if ((data.length() != 28 && data.length() != 30) || !data.startsWith(TIMESTAMP_TYPE)
            || !(suffix.equals(EVENT_SUFFIX) || suffix.equals(INVALIDATE_SUFFIX))) {
            throw invalid("resume token was not issued by this deployment: " + data);
        }
        try {
            return new ResumeToken(ChangeLogPosition.fromKey(data.substring(2, 26)), suffix.equals(INVALIDATE_SUFFIX),
                data.length() == 30 ? Integer.parseInt(data.substring(28), 16) : 0);
        } catch (IllegalArgumentException e) {
            throw invalid("resume token was not issued by this deployment: " + data);
        }
    }

    private static MongoServerError invalid(String message) {
        return new MongoServerError(260, "InvalidResumeToken", message);
    }
}
