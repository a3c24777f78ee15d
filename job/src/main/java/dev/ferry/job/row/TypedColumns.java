package dev.ferry.job.row;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

import dev.ferry.common.JobSpec;
import dev.ferry.common.columns.ColumnType;
import dev.ferry.common.columns.ColumnType.ArrayOf;
import dev.ferry.common.columns.ColumnType.NullableOf;
import dev.ferry.common.columns.ColumnType.Scalar;
import dev.ferry.common.encoding.ByteBuilder;

/**
 * A table's typed columns, and how a document fills them: each column takes the value at its dotted path, converted
 * to its ClickHouse type and encoded in RowBinary. A value that does not fit (a string where a number is expected,
 * a missing field, a number too large) becomes NULL, or the type's default where the column is not nullable, and
 * is counted as a mismatch; it never fails the row. A path through an array collects the value of each element
 * when the column is an array, as MongoDB's dotted paths do.
 *
 * <p>The columns of the table's sorting or partition key come first, so that a row's key is the first
 * {@link #encodeKey} bytes of its encoded columns.
 */
public final class TypedColumns implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final TypedColumns NONE = new TypedColumns(List.of(), 0);
    private static final BigInteger INT128_MAX = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    private final List<Column> columns;
    private final int keyCount;

    private record Column(String name, String[] path, ColumnType type) implements Serializable {
    }

    private TypedColumns(List<Column> columns, int keyCount) {
        this.columns = List.copyOf(columns);
        this.keyCount = keyCount;
    }

    /** The typed columns of a spec's table, its key columns first. */
    public static TypedColumns of(JobSpec.Table table) {
        if (table.columns().isEmpty()) {
            return NONE;
        }
        List<Column> ordered = new ArrayList<>();
        List<Column> others = new ArrayList<>();
        for (JobSpec.Column column : table.columns()) {
            Column compiled = new Column(column.name(), column.path().split("\\."), ColumnType.parse(column.type()));
            (table.keyColumns().contains(column.name()) ? ordered : others).add(compiled);
        }
        int keys = ordered.size();
        ordered.addAll(others);
        return new TypedColumns(ordered, keys);
    }

    public boolean isEmpty() {
        return columns.isEmpty();
    }

    /** The columns' names, in the order {@link #encodeKey} and {@link #encodeRest} write them. */
    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    /** Writes the key columns' values of {@code document}; answers how many did not fit. */
    public int encodeKey(BsonDocument document, ByteBuilder out) {
        return encode(document, 0, keyCount, out);
    }

    /** Writes the other columns' values of {@code document}; answers how many did not fit. */
    public int encodeRest(BsonDocument document, ByteBuilder out) {
        return encode(document, keyCount, columns.size(), out);
    }

    /**
     * Writes every column's default (NULL where nullable), the columns of a deletion; answers how many bytes the key
     * columns' took.
     */
    public int encodeDefaults(ByteBuilder out) {
        int start = out.size();
        int keyBytes = 0;
        for (int i = 0; i < columns.size(); i++) {
            if (i == keyCount) {
                keyBytes = out.size() - start;
            }
            write(null, columns.get(i).type(), out);
        }
        return keyCount == columns.size() ? out.size() - start : keyBytes;
    }

    private int encode(BsonDocument document, int from, int to, ByteBuilder out) {
        int mismatches = 0;
        for (int i = from; i < to; i++) {
            Column column = columns.get(i);
            BsonValue value = valueAt(document, column.path(), 0, column.type() instanceof ArrayOf);
            if (!write(value, column.type(), out)) {
                mismatches++;
            }
        }
        return mismatches;
    }

    /**
     * The value at {@code path} from part {@code from} on, or null when it is missing. Through an array, only for
     * an array column: the values of its elements, those that have it.
     */
    private static BsonValue valueAt(BsonValue value, String[] path, int from, boolean collect) {
        BsonValue current = value;
        for (int i = from; i < path.length; i++) {
            if (current instanceof BsonDocument document) {
                current = document.get(path[i]);
            } else if (current instanceof BsonArray array && collect) {
                BsonArray collected = new BsonArray();
                for (BsonValue element : array) {
                    BsonValue found = valueAt(element, path, i, false);
                    if (found != null) {
                        collected.add(found);
                    }
                }
                return collected;
            } else {
                return null;
            }
        }
        return current;
    }

    /** Writes {@code value} (null: missing) as {@code type}; false when it did not fit. */
    private static boolean write(BsonValue value, ColumnType type, ByteBuilder out) {
        if (type instanceof ArrayOf array) {
            if (!(value instanceof BsonArray elements)) {
                out.appendVarUInt(0);
                return false;
            }
            out.appendVarUInt(elements.size());
            boolean fits = true;
            for (BsonValue element : elements) {
                fits &= write(element, array.element(), out);
            }
            return fits;
        }
        if (type instanceof NullableOf nullable) {
            Object converted = value == null || value.isNull() ? null : convert(value, nullable.inner());
            out.append((byte) (converted == null ? 1 : 0));
            if (converted != null) {
                writeScalar(converted, nullable.inner(), out);
            }
            // an explicit null fits a nullable column; a missing field or a value of another type does not
            return converted != null || (value != null && value.isNull());
        }
        Scalar scalar = (Scalar) type;
        Object converted = value == null ? null : convert(value, scalar);
        writeScalar(converted == null ? defaultOf(scalar) : converted, scalar, out);
        return converted != null;
    }

    /** The value as the Java value its type writes, or null when it does not fit. */
    private static Object convert(BsonValue value, Scalar type) {
        return switch (type.kind()) {
            case STRING -> text(value);
            case INT64 -> integral(value);
            case FLOAT64 -> value.isNumber() || value.isDecimal128() ? number(value).doubleValue() : null;
            case DECIMAL -> decimal(value, type);
            case BOOL -> value.isBoolean() ? value.asBoolean().getValue() : null;
            case UINT8 -> value.isBoolean() ? Long.valueOf(value.asBoolean().getValue() ? 1 : 0) : unsignedByte(value);
            case DATETIME64 -> epochMillis(value);
            case DATETIME -> seconds(value);
        };
    }

    private static Object defaultOf(Scalar type) {
        return switch (type.kind()) {
            case STRING -> "";
            case INT64, DATETIME64, DATETIME, UINT8 -> 0L;
            case FLOAT64 -> 0.0;
            case DECIMAL -> BigDecimal.ZERO;
            case BOOL -> Boolean.FALSE;
        };
    }

    private static String text(BsonValue value) {
        return switch (value.getBsonType()) {
            case STRING -> value.asString().getValue();
            case SYMBOL -> value.asSymbol().getSymbol();
            case OBJECT_ID -> value.asObjectId().getValue().toHexString();
            case INT32, INT64, DOUBLE, DECIMAL128 -> number(value).toString();
            case BOOLEAN -> Boolean.toString(value.asBoolean().getValue());
            // the text the doc column has for a date
            case DATE_TIME -> Instant.ofEpochMilli(value.asDateTime().getValue()).toString();
            default -> null;
        };
    }

    /** A number as a Java number: Integer, Long, Double or BigDecimal (null for a Decimal128 NaN or infinity). */
    private static Number number(BsonValue value) {
        return switch (value.getBsonType()) {
            case INT32 -> value.asInt32().getValue();
            case INT64 -> value.asInt64().getValue();
            case DOUBLE -> value.asDouble().getValue();
            case DECIMAL128 -> {
                Decimal128 decimal = value.asDecimal128().getValue();
                yield decimal.isNaN() || decimal.isInfinite() ? Double.NaN : decimal.bigDecimalValue();
            }
            default -> throw new IllegalArgumentException("not a number: " + value.getBsonType());
        };
    }

    private static Long integral(BsonValue value) {
        BigDecimal exact = exact(value);
        if (exact == null) {
            return null;
        }
        try {
            return exact.longValueExact();
        } catch (ArithmeticException e) {
            // a fraction, or beyond Int64
            return null;
        }
    }

    private static Long unsignedByte(BsonValue value) {
        Long integral = integral(value);
        return integral == null || integral < 0 || integral > 255 ? null : integral;
    }

    /** A number's exact value, or null for a value that is not a finite number. */
    private static BigDecimal exact(BsonValue value) {
        if (!value.isNumber() && !value.isDecimal128()) {
            return null;
        }
        Number number = number(value);
        if (number instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : BigDecimal.valueOf(d);
        }
        return number instanceof BigDecimal decimal ? decimal : BigDecimal.valueOf(number.longValue());
    }

    private static BigDecimal decimal(BsonValue value, Scalar type) {
        BigDecimal exact = exact(value);
        if (exact == null) {
            return null;
        }
        BigDecimal scaled = exact.setScale(type.scale(), RoundingMode.HALF_EVEN);
        return scaled.precision() - scaled.scale() > type.precision() - type.scale() ? null : scaled;
    }

    private static Long epochMillis(BsonValue value) {
        if (value.isDateTime()) {
            return value.asDateTime().getValue();
        }
        if (value.isString()) {
            try {
                return Instant.parse(value.asString().getValue()).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                return null;
            }
        }
        return null;
    }

    private static Long seconds(BsonValue value) {
        Long millis = epochMillis(value);
        if (millis == null) {
            return null;
        }
        long seconds = Math.floorDiv(millis, 1000);
        return seconds < 0 || seconds > UINT32_MAX ? null : seconds;
    }

    private static void writeScalar(Object value, Scalar type, ByteBuilder out) {
        switch (type.kind()) {
            case STRING -> {
                byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
                out.appendVarUInt(utf8.length).append(utf8, 0, utf8.length);
            }
            case INT64, DATETIME64 -> out.appendInt64LittleEndian((Long) value);
            case FLOAT64 -> out.appendInt64LittleEndian(Double.doubleToRawLongBits((Double) value));
            case DECIMAL -> writeDecimal((BigDecimal) value, type, out);
            case BOOL -> out.append((byte) ((Boolean) value ? 1 : 0));
            case UINT8 -> out.append((byte) (long) (Long) value);
            case DATETIME -> out.appendInt32LittleEndian((int) (long) (Long) value);
        }
    }

    /** A decimal as its unscaled integer, in the width its precision takes: 32, 64 or 128 bits. */
    private static void writeDecimal(BigDecimal value, Scalar type, ByteBuilder out) {
        BigInteger unscaled = value.setScale(type.scale(), RoundingMode.UNNECESSARY).unscaledValue();
        if (type.precision() <= 9) {
            out.appendInt32LittleEndian(unscaled.intValueExact());
        } else if (type.precision() <= 18) {
            out.appendInt64LittleEndian(unscaled.longValueExact());
        } else {
            if (unscaled.abs().compareTo(INT128_MAX) > 0) {
                throw new IllegalStateException("a Decimal(" + type.precision() + ") beyond 128 bits");
            }
            out.appendInt64LittleEndian(unscaled.longValue());
            out.appendInt64LittleEndian(unscaled.shiftRight(64).longValue());
        }
    }
}
