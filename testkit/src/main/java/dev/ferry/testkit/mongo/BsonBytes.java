package dev.ferry.testkit.mongo;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Documents as BSON bytes, with the wire protocol's own encoder. */
final class BsonBytes {

    private BsonBytes() {
    }

    static byte[] encode(Document document) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            BsonEncoder.encodeDocument(document, buffer);
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            return bytes;
        } finally {
            buffer.release();
        }
    }

    static Document decode(byte[] bytes) {
        ByteBuf buffer = Unpooled.wrappedBuffer(bytes);
        try {
            return BsonDecoder.decodeBson(buffer);
        } finally {
            buffer.release();
        }
    }

    /**
     * The length of {@code document} in BSON, counted without encoding it: a cursor counts every document it hands
     * out against the 16 MiB of a batch, and encoding each one twice (once to count) was a third of a range read's
     * cost. Types met rarely are measured by encoding them.
     */
    static int size(Document document) {
        return documentSize(document);
    }

    private static int documentSize(Map<?, ?> document) {
        int size = 4 + 1;
        for (Map.Entry<?, ?> entry : document.entrySet()) {
            size += 1 + utf8Length(String.valueOf(entry.getKey())) + 1 + valueSize(entry.getValue());
        }
        return size;
    }

    private static int arraySize(Collection<?> values) {
        int size = 4 + 1;
        int index = 0;
        for (Object value : values) {
            size += 1 + digits(index++) + 1 + valueSize(value);
        }
        return size;
    }

    private static int valueSize(Object value) {
        if (value == null || value instanceof MinKey || value instanceof MaxKey) {
            return 0;
        } else if (value instanceof String text) {
            return 4 + utf8Length(text) + 1;
        } else if (value instanceof Map<?, ?> document) {
            return documentSize(document);
        } else if (value instanceof Collection<?> values) {
            return arraySize(values);
        } else if (value instanceof Integer) {
            return 4;
        } else if (value instanceof Long || value instanceof Double || value instanceof Instant
            || value instanceof BsonTimestamp) {
            return 8;
        } else if (value instanceof Boolean) {
            return 1;
        } else if (value instanceof ObjectId) {
            return 12;
        } else if (value instanceof Decimal128) {
            return 16;
        }
        // {"": value} is the value and seven bytes: the length, the type, the empty name and the end
        return encode(new Document("", value)).length - 7;
    }

    private static int digits(int index) {
        return index < 10 ? 1 : Integer.toString(index).length();
    }

    /** As Netty writes a String: unpaired surrogates as one byte ('?'). */
    private static int utf8Length(String text) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
