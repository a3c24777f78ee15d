package dev.ferry.common.encoding;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * The one encoder from BSON to the JSON text of the {@code doc} column, following ClickPipes' mapping so that
 * users' queries carry over: ObjectId, Decimal128, JavaScript and Symbol as strings; dates as ISO 8601 in UTC;
 * 32- and 64-bit integers as JSON integers; doubles as JSON numbers that keep a fraction ({@code 1.0}, never
 * {@code 1}), with NaN and the infinities as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"};
 * Binary as {@code {"Data": base64, "Subtype": n}}, Timestamp as {@code {"T": t, "I": i}}, Regex as
 * {@code {"Pattern": p, "Options": o}}; MinKey and MaxKey as {@code "MinKey"}/{@code "MaxKey"}, Undefined as null,
 * DBPointer as {@code {"$ref": ns, "$id": hex}}. Keys are written as they are, escaped as JSON requires.
 *
 * <p>It reads the document's BSON bytes and writes UTF-8 JSON bytes: strings and keys are copied byte for byte
 * (escaping what JSON requires), nothing is decoded into Java objects on the way, which is most of what a
 * snapshot costs. A decoded {@link BsonDocument} is encoded to BSON first.
 */
public final class BsonJson {

    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private BsonJson() {
    }

    public static String encode(BsonDocument document) {
        return encode(document, FieldExclusions.NONE);
    }

    /** The JSON of {@code document} without the {@code excluded} fields. */
    public static String encode(BsonDocument document, FieldExclusions excluded) {
        ByteBuilder out = new ByteBuilder(256);
        encode(document, out, excluded);
        return out.toUtf8String();
    }

    /** Appends the JSON of {@code document} to {@code out}. */
    public static void encode(BsonDocument document, ByteBuilder out) {
        encode(document, out, FieldExclusions.NONE);
    }

    /** Appends the JSON of {@code document} without the {@code excluded} fields to {@code out}. */
    public static void encode(BsonDocument document, ByteBuilder out, FieldExclusions excluded) {
        RawBsonDocument raw = raw(document);
        new Reader(raw.getBackingArray(), raw.getByteOffset(), out).document(false,
            excluded.isEmpty() ? null : excluded.root());
    }

    public static String encodeValue(BsonValue value) {
        ByteBuilder out = new ByteBuilder(64);
        RawBsonDocument holder = raw(new BsonDocument("v", value));
        Reader reader = new Reader(holder.getBackingArray(), holder.getByteOffset() + 4, out);
        byte type = reader.bytes[reader.position++];
        reader.skipCString();
        reader.value(type);
        return out.toUtf8String();
    }

    private static RawBsonDocument raw(BsonDocument document) {
        return document instanceof RawBsonDocument raw ? raw : new RawBsonDocument(document, CODEC);
    }

    /** A cursor over BSON bytes that writes what it reads as JSON. */
    private static final class Reader {

        private final byte[] bytes;
        private final ByteBuilder out;
        private int position;

        Reader(byte[] bytes, int position, ByteBuilder out) {
            this.bytes = bytes;
            this.position = position;
            this.out = out;
        }

        /**
         * A document or an array (whose keys are its indexes, left out) at the position. {@code exclusions}: the
         * fields left out here (null: none); an array's documents take the array's.
         */
        void document(boolean array, FieldExclusions.Node exclusions) {
            int end = position + int32() - 1;
            out.append(array ? '[' : '{');
            boolean first = true;
            while (position < end) {
                byte type = bytes[position++];
                FieldExclusions.Node below = array ? exclusions : null;
                if (!array && exclusions != null) {
                    int keyStart = position;
                    skipCString();
                    below = exclusions.child(bytes, keyStart, position - 1);
                    if (below != null && below.excluded()) {
                        skipValue(type);
                        continue;
                    }
                    position = keyStart;
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                if (array) {
                    skipCString();
                } else {
                    cString();
                    out.append(':');
                }
                value(type, below);
            }
            position = end + 1;
            out.append(array ? ']' : '}');
        }

        void value(byte type) {
            value(type, null);
        }

        /**
         * Moves past a value of {@code type} without writing it. In {@code position += ... int32()} Java takes
         * {@code position} before {@code int32()} moves it, so each sum counts from the value's first byte.
         */
        private void skipValue(byte type) {
            switch (type) {
                case 0x01, 0x09, 0x11, 0x12 -> position += 8;
                case 0x02, 0x0D, 0x0E -> position += 4 + int32();
                case 0x03, 0x04, 0x0F -> position += int32();
                case 0x05 -> position += 4 + 1 + int32();
                case 0x06, 0x0A, (byte) 0xFF, 0x7F -> { }
                case 0x07 -> position += 12;
                case 0x08 -> position += 1;
                case 0x0B -> {
                    skipCString();
                    skipCString();
                }
                case 0x0C -> position += 4 + int32() + 12;
                case 0x10 -> position += 4;
                case 0x13 -> position += 16;
                default -> throw new IllegalArgumentException("unknown BSON type 0x" + Integer.toHexString(type & 0xff));
            }
        }

        void value(byte type, FieldExclusions.Node exclusions) {
            switch (type) {
                case 0x01 -> writeDouble(Double.longBitsToDouble(int64()));
                case 0x02 -> string();
                case 0x03 -> document(false, exclusions);
                case 0x04 -> document(true, exclusions);
                case 0x05 -> binary();
                case 0x06, 0x0A -> out.appendAscii("null");
                case 0x07 -> {
                    out.append('"');
                    hex(12);
                    out.append('"');
                }
                case 0x08 -> out.appendAscii(bytes[position++] != 0 ? "true" : "false");
                case 0x09 -> {
                    out.append('"');
                    IsoInstant.write(int64(), out);
                    out.append('"');
                }
                case 0x0B -> {
                    out.appendAscii("{\"Pattern\":");
                    cString();
                    out.appendAscii(",\"Options\":");
                    cString();
                    out.append('}');
                }
                case 0x0C -> {
                    out.appendAscii("{\"$ref\":");
                    string();
                    out.appendAscii(",\"$id\":\"");
                    hex(12);
                    out.appendAscii("\"}");
                }
                case 0x0D, 0x0E -> string();
                case 0x0F -> {
                    position += 4;
                    out.appendAscii("{\"Code\":");
                    string();
                    out.appendAscii(",\"Scope\":");
                    document(false, null);
                    out.append('}');
                }
                case 0x10 -> out.appendDecimal(int32());
                case 0x11 -> {
                    long increment = Integer.toUnsignedLong(int32());
                    long time = Integer.toUnsignedLong(int32());
                    out.appendAscii("{\"T\":").appendDecimal(time).appendAscii(",\"I\":").appendDecimal(increment)
                        .append('}');
                }
                case 0x12 -> out.appendDecimal(int64());
                case 0x13 -> {
                    long low = int64();
                    long high = int64();
                    out.append('"');
                    Decimal128Text.write(high, low, out);
                    out.append('"');
                }
                case (byte) 0xFF -> asciiString("MinKey");
                case 0x7F -> asciiString("MaxKey");
                default -> throw new IllegalArgumentException("unknown BSON type 0x" + Integer.toHexString(type & 0xff));
            }
        }

        private void writeDouble(double value) {
            if (Double.isNaN(value)) {
                asciiString("NaN");
            } else if (Double.isInfinite(value)) {
                asciiString(value > 0 ? "Infinity" : "-Infinity");
            } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                // whole numbers keep their fraction so that readers still see a double
                if (value == 0 && 1 / value < 0) {
                    out.appendAscii("-0.0");
                } else {
                    out.appendDecimal((long) value).appendAscii(".0");
                }
            } else {
                out.appendAscii(Double.toString(value));
            }
        }

        private void binary() {
            int length = int32();
            int subtype = bytes[position++] & 0xff;
            int start = position;
            int dataLength = length;
            if (subtype == 0x02) {
                // the old binary subtype repeats the length inside the data; readers see the data without it
                start += 4;
                dataLength -= 4;
            }
            position += length;
            byte[] data = new byte[dataLength];
            System.arraycopy(bytes, start, data, 0, dataLength);
            out.appendAscii("{\"Data\":\"");
            byte[] encoded = Base64.getEncoder().encode(data);
            out.append(encoded, 0, encoded.length);
            out.appendAscii("\",\"Subtype\":").appendDecimal(subtype).append('}');
        }

        private void hex(int count) {
            for (int i = 0; i < count; i++) {
                int b = bytes[position++] & 0xff;
                out.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
            }
        }

        /** A BSON string (length-prefixed, NUL-terminated) as a JSON string. */
        private void string() {
            int length = int32();
            quoted(position, position + length - 1);
            position += length;
        }

        /** A NUL-terminated key or pattern as a JSON string. */
        private void cString() {
            int start = position;
            while (bytes[position] != 0) {
                position++;
            }
            quoted(start, position);
            position++;
        }

        private void skipCString() {
            while (bytes[position] != 0) {
                position++;
            }
            position++;
        }

        private void asciiString(String ascii) {
            out.append('"').appendAscii(ascii).append('"');
        }

        /** UTF-8 bytes from start to end as a JSON string: copied as they are, except what JSON must escape. */
        private void quoted(int start, int end) {
            out.append('"');
            int run = start;
            for (int i = start; i < end; i++) {
                int b = bytes[i] & 0xff;
                String escape = null;
                if (b < 0x20 || b == '"' || b == '\\') {
                    escape = switch (b) {
                        case '"' -> "\\\"";
                        case '\\' -> "\\\\";
                        case '\n' -> "\\n";
                        case '\r' -> "\\r";
                        case '\t' -> "\\t";
                        case '\b' -> "\\b";
                        case '\f' -> "\\f";
                        default -> String.format("\\u%04x", b);
                    };
                } else if (b == 0xE2 && i + 2 < end && bytes[i + 1] == (byte) 0x80
                    && (bytes[i + 2] == (byte) 0xA8 || bytes[i + 2] == (byte) 0xA9)) {
                    // U+2028 and U+2029 end a line in JavaScript: escaped like control characters
                    escape = bytes[i + 2] == (byte) 0xA8 ? "\\u2028" : "\\u2029";
                }
                if (escape != null) {
                    out.append(bytes, run, i - run).appendAscii(escape);
                    if (b == 0xE2) {
                        i += 2;
                    }
                    run = i + 1;
                }
            }
            out.append(bytes, run, end - run).append('"');
        }

        private int int32() {
            int value = (bytes[position] & 0xff) | (bytes[position + 1] & 0xff) << 8
                | (bytes[position + 2] & 0xff) << 16 | (bytes[position + 3] & 0xff) << 24;
            position += 4;
            return value;
        }

        private long int64() {
            long low = Integer.toUnsignedLong(int32());
            long high = int32();
            return high << 32 | low;
        }
    }
}
