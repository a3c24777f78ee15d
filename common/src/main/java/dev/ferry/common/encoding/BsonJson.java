package dev.ferry.common.encoding;

import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.bson.BsonBinary;
import org.bson.BsonDbPointer;
import org.bson.BsonDocument;
import org.bson.BsonRegularExpression;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

/**
 * The one encoder from BSON to the JSON text of the {@code doc} column, following ClickPipes' mapping so that
 * users' queries carry over: ObjectId, Decimal128, JavaScript and Symbol as strings; dates as ISO 8601 in UTC;
 * 32- and 64-bit integers as JSON integers; doubles as JSON numbers that keep a fraction ({@code 1.0}, never
 * {@code 1}), with NaN and the infinities as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"};
 * Binary as {@code {"Data": base64, "Subtype": n}}, Timestamp as {@code {"T": t, "I": i}}, Regex as
 * {@code {"Pattern": p, "Options": o}}; MinKey and MaxKey as {@code "MinKey"}/{@code "MaxKey"}, Undefined as null,
 * DBPointer as {@code {"$ref": ns, "$id": hex}}. Keys are written as they are, escaped as JSON requires.
 */
public final class BsonJson {

    private BsonJson() {
    }

    public static String encode(BsonDocument document) {
        StringBuilder out = new StringBuilder(256);
        writeDocument(document, out);
        return out.toString();
    }

    public static String encodeValue(BsonValue value) {
        StringBuilder out = new StringBuilder(64);
        write(value, out);
        return out.toString();
    }

    private static void writeDocument(BsonDocument document, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, BsonValue> field : document.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(field.getKey(), out);
            out.append(':');
            write(field.getValue(), out);
        }
        out.append('}');
    }

    private static void write(BsonValue value, StringBuilder out) {
        switch (value.getBsonType()) {
            case DOCUMENT -> writeDocument(value.asDocument(), out);
            case ARRAY -> {
                out.append('[');
                boolean first = true;
                for (BsonValue element : value.asArray()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(element, out);
                }
                out.append(']');
            }
            case STRING -> writeString(value.asString().getValue(), out);
            case INT32 -> out.append(value.asInt32().getValue());
            case INT64 -> out.append(value.asInt64().getValue());
            case DOUBLE -> writeDouble(value.asDouble().getValue(), out);
            case DECIMAL128 -> writeString(value.asDecimal128().getValue().toString(), out);
            case BOOLEAN -> out.append(value.asBoolean().getValue());
            case NULL, UNDEFINED -> out.append("null");
            case OBJECT_ID -> writeString(value.asObjectId().getValue().toHexString(), out);
            case DATE_TIME -> writeString(Instant.ofEpochMilli(value.asDateTime().getValue()).toString(), out);
            case TIMESTAMP -> {
                BsonTimestamp timestamp = value.asTimestamp();
                out.append("{\"T\":").append(Integer.toUnsignedLong(timestamp.getTime()))
                    .append(",\"I\":").append(Integer.toUnsignedLong(timestamp.getInc())).append('}');
            }
            case BINARY -> {
                BsonBinary binary = value.asBinary();
                out.append("{\"Data\":");
                writeString(Base64.getEncoder().encodeToString(binary.getData()), out);
                out.append(",\"Subtype\":").append(binary.getType() & 0xff).append('}');
            }
            case REGULAR_EXPRESSION -> {
                BsonRegularExpression regex = value.asRegularExpression();
                out.append("{\"Pattern\":");
                writeString(regex.getPattern(), out);
                out.append(",\"Options\":");
                writeString(regex.getOptions(), out);
                out.append('}');
            }
            case JAVASCRIPT -> writeString(value.asJavaScript().getCode(), out);
            case JAVASCRIPT_WITH_SCOPE -> {
                out.append("{\"Code\":");
                writeString(value.asJavaScriptWithScope().getCode(), out);
                out.append(",\"Scope\":");
                writeDocument(value.asJavaScriptWithScope().getScope(), out);
                out.append('}');
            }
            case SYMBOL -> writeString(value.asSymbol().getSymbol(), out);
            case MIN_KEY -> writeString("MinKey", out);
            case MAX_KEY -> writeString("MaxKey", out);
            case DB_POINTER -> {
                BsonDbPointer pointer = (BsonDbPointer) value;
                out.append("{\"$ref\":");
                writeString(pointer.getNamespace(), out);
                out.append(",\"$id\":");
                writeString(pointer.getId().toHexString(), out);
                out.append('}');
            }
            default -> throw new IllegalArgumentException("unknown BSON type " + value.getBsonType());
        }
    }

    private static void writeDouble(double value, StringBuilder out) {
        if (Double.isNaN(value)) {
            writeString("NaN", out);
        } else if (Double.isInfinite(value)) {
            writeString(value > 0 ? "Infinity" : "-Infinity", out);
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            // whole numbers keep their fraction so that readers still see a double
            out.append((long) value).append(".0");
            if (value == 0 && 1 / value < 0) {
                out.setLength(out.length() - 3);
                out.append("-0.0");
            }
        } else {
            out.append(Double.toString(value));
        }
    }

    private static void writeString(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
