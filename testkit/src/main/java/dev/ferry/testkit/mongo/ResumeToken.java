package dev.ferry.testkit.mongo;

import java.util.Map;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * A change stream resume token, {@code {_data: "<hex>"}} like MongoDB's: ordered like the events it names, and,
 * as in MongoDB 4.2 and newer, starting with the event's cluster time in KeyString form (type byte {@code 82},
 * then seconds and increment, big-endian), the one part of a token that tools read. It carries the change log position the stream has passed and whether it is the token of an
 * {@code invalidate} event, which {@code resumeAfter} refuses and {@code startAfter} accepts.
 */
record ResumeToken(ChangeLogPosition position, boolean invalidate) {

    private static final String TIMESTAMP_TYPE = "82";
    private static final String EVENT_SUFFIX = "00";
    private static final String INVALIDATE_SUFFIX = "01";

    Document toDocument() {
        return new Document("_data", TIMESTAMP_TYPE + position.key() + (invalidate ? INVALIDATE_SUFFIX : EVENT_SUFFIX));
    }

    static ResumeToken parse(Object token) {
        if (!(token instanceof Map<?, ?> map) || !(map.get("_data") instanceof String data)) {
            throw invalid("resume token must be a document with a string field '_data', got: " + token);
        }
        if (data.length() != 28 || !data.startsWith(TIMESTAMP_TYPE)
            || !(data.endsWith(EVENT_SUFFIX) || data.endsWith(INVALIDATE_SUFFIX))) {
            throw invalid("resume token was not issued by this deployment: " + data);
        }
        try {
            return new ResumeToken(ChangeLogPosition.fromKey(data.substring(2, 26)), data.endsWith(INVALIDATE_SUFFIX));
        } catch (IllegalArgumentException e) {
            throw invalid("resume token was not issued by this deployment: " + data);
        }
    }

    private static MongoServerError invalid(String message) {
        return new MongoServerError(260, "InvalidResumeToken", message);
    }
}
