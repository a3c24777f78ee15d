package dev.ferry.common.encoding;

import org.bson.BsonValue;

/**
 * The {@code _id} column: ObjectId as hex, strings as they are, integers in decimal, doubles as Java prints them,
 * and every other type (documents, arrays, binary, ...) as the canonical JSON of {@link BsonJson}.
 */
public final class DocumentIds {

    private DocumentIds() {
    }

    public static String toColumn(BsonValue id) {
        return switch (id.getBsonType()) {
            case OBJECT_ID -> id.asObjectId().getValue().toHexString();
            case STRING -> id.asString().getValue();
            case INT32 -> Integer.toString(id.asInt32().getValue());
            case INT64 -> Long.toString(id.asInt64().getValue());
            case DOUBLE -> Double.toString(id.asDouble().getValue());
            default -> BsonJson.encodeValue(id);
        };
    }
}
