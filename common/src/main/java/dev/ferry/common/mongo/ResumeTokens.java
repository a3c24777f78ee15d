package dev.ferry.common.mongo;

import java.util.OptionalLong;

import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

/**
 * Reads the cluster time a change-stream resume token stands for. Since MongoDB 4.2 a token's {@code _data} is a
 * hex KeyString that begins with the event's cluster time: the type byte {@code 0x82} and the timestamp's eight
 * bytes (seconds, then increment), big-endian. That prefix is the only part of the token ferry reads, to tell how
 * far a stream has come; anything else about the token stays opaque.
 */
public final class ResumeTokens {

    private static final String TIMESTAMP_TYPE = "82";
    private static final int TIMESTAMP_HEX_DIGITS = 16;

    private ResumeTokens() {
    }

    /** The token's cluster time (a BSON timestamp's value), or empty when the token has another form. */
    public static OptionalLong clusterTime(BsonDocument token) {
        BsonValue data = token == null ? null : token.get("_data");
        if (!(data instanceof BsonString hex)) {
            return OptionalLong.empty();
        }
        String value = hex.getValue();
        if (value.length() < TIMESTAMP_TYPE.length() + TIMESTAMP_HEX_DIGITS
            || !value.regionMatches(true, 0, TIMESTAMP_TYPE, 0, TIMESTAMP_TYPE.length())) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(value.substring(2, 2 + TIMESTAMP_HEX_DIGITS), 16));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
