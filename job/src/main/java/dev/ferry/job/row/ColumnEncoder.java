package dev.ferry.job.row;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

import org.bson.BsonArray;
import org.bson.BsonValue;

import dev.ferry.common.columns.ColumnType;
import dev.ferry.common.encoding.ByteBuilder;

/**
 * Writes a typed column's values in RowBinary, chosen once per column from its type: a value that does not fit
 * is written as NULL, or as the type's default where the column is not nullable, and reported.
 */
interface ColumnEncoder extends Serializable {

    /** Writes {@code value} (null: the field is missing); false when it did not fit. */
    boolean write(BsonValue value, ByteBuilder out);

    /** Writes the column's default: NULL where nullable, an empty array, the scalar's zero. */
    void writeDefault(ByteBuilder out);

    /** The encoder of a column of {@code type}. */
    static ColumnEncoder of(ColumnType type) {
        if (type instanceof ColumnType.ArrayOf array) {
            return new ArrayEncoder(of(array.element()));
        }
        if (type instanceof ColumnType.NullableOf nullable) {
            return new NullableEncoder(scalar(nullable.inner()));
        }
        return scalar((ColumnType.Scalar) type);
    }

    private static Scalar scalar(ColumnType.Scalar type) {
        return switch (type.kind()) {
            case STRING -> Scalars.STRING;
            case INT64 -> Scalars.INT64;
            case FLOAT64 -> Scalars.FLOAT64;
            case BOOL -> Scalars.BOOL;
            case UINT8 -> Scalars.UINT8;
            case DATETIME64 -> Scalars.DATETIME64;
            case DATETIME -> Scalars.DATETIME;
            case DECIMAL -> new DecimalEncoder(type.precision(), type.scale());
        };
    }

    /** A scalar type: writes a value only when it fits, so that a caller can write something else instead. */
    interface Scalar extends ColumnEncoder {

        /** Writes the converted value and answers true, or writes nothing and answers false. */
        boolean writeIfFits(BsonValue value, ByteBuilder out);

        @Override
        default boolean write(BsonValue value, ByteBuilder out) {
            if (value != null && writeIfFits(value, out)) {
                return true;
            }
            writeDefault(out);
            return false;
        }
    }

    /** The scalar types without parameters. */
    enum Scalars implements Scalar {
        STRING {
            @Override
            public boolean writeIfFits(BsonValue value, ByteBuilder out) {
                String text = BsonValues.text(value);
                if (text != null) {
                    writeText(text, out);
                }
                return text != null;
            }

            @Override
            public void writeDefault(ByteBuilder out) {
                out.appendVarUInt(0);
            }
        },
        INT64 {
            @Override
            public boolean writeIfFits(BsonValue value, ByteBuilder out) {
                return writeLong(BsonValues.integral(value), out);
            }
        },
        FLOAT64 {
            @Override
            public boolean writeIfFits(BsonValue value, ByteBuilder out) {
                if (!BsonValues.isNumber(value)) {
                    return false;
                }
                out.appendInt64LittleEndian(Double.doubleToRawLongBits(BsonValues.number(value).doubleValue()));
                return true;
            }
        },
        BOOL {
            @Override
            public boolean writeIfFits(BsonValue value, ByteBuilder out) {
                if (!value.isBoolean()) {
                    return false;
                }
                out.append((byte) (value.asBoolean().getValue() ? 1 : 0));
                return true;
            }

            @Override
            public void writeDefault(ByteBuilder out) {
                out.append((byte) 0);
            }
        },
        UINT8 {
            @Override
            public boolean writeIfFits(BsonValue value, ByteBuilder out) {
                Long number = value.isBoolean() ? Long.valueOf(value.asBoolean().getValue() ? 1 : 0)
                    : BsonValues.unsignedByte(value);
                if (number != null) {
                    out.append((byte) (long) number);
                }
                return number != null;
            }

            @Override
            public void writeDefault(ByteBuilder out) {
                out.append((byte) 0);
            }
        },
        DATETIME64 {
            @Override
            public boolean writeIfFits(BsonValue value, ByteBuilder out) {
                return writeLong(BsonValues.epochMillis(value), out);
            }
        },
        DATETIME {
            @Override
            public boolean writeIfFits(BsonValue value, ByteBuilder out) {
                Long seconds = BsonValues.seconds(value);
                if (seconds != null) {
                    out.appendInt32LittleEndian((int) (long) seconds);
                }
                return seconds != null;
            }

            @Override
            public void writeDefault(ByteBuilder out) {
                out.appendInt32LittleEndian(0);
            }
        };

        /** Eight zero bytes: the default of the 64-bit types (Int64, Float64, DateTime64). */
        @Override
        public void writeDefault(ByteBuilder out) {
            out.appendInt64LittleEndian(0);
        }

        private static boolean writeLong(Long value, ByteBuilder out) {
            if (value != null) {
                out.appendInt64LittleEndian(value);
            }
            return value != null;
        }

        private static void writeText(String text, ByteBuilder out) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            out.appendVarUInt(utf8.length).append(utf8, 0, utf8.length);
        }
    }

    /** Decimal(P, S): the unscaled integer in the width its precision takes, 32, 64 or 128 bits. */
    record DecimalEncoder(int precision, int scale) implements Scalar {

        private static final BigInteger INT128_MAX = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);

        @Override
        public boolean writeIfFits(BsonValue value, ByteBuilder out) {
            BigDecimal decimal = BsonValues.decimal(value, precision, scale);
            if (decimal != null) {
                writeUnscaled(decimal.setScale(scale, RoundingMode.UNNECESSARY).unscaledValue(), out);
            }
            return decimal != null;
        }

        @Override
        public void writeDefault(ByteBuilder out) {
            writeUnscaled(BigInteger.ZERO, out);
        }

        private void writeUnscaled(BigInteger unscaled, ByteBuilder out) {
            if (precision <= 9) {
                out.appendInt32LittleEndian(unscaled.intValueExact());
            } else if (precision <= 18) {
                out.appendInt64LittleEndian(unscaled.longValueExact());
            } else {
                if (unscaled.abs().compareTo(INT128_MAX) > 0) {
                    throw new IllegalStateException("a Decimal(" + precision + ") beyond 128 bits");
                }
                out.appendInt64LittleEndian(unscaled.longValue());
                out.appendInt64LittleEndian(unscaled.shiftRight(64).longValue());
            }
        }
    }

    /**
     * Nullable(T): a flag byte, then the value when there is one. An explicit null fits; a missing field or a value
     * of another type does not, and is NULL.
     */
    record NullableEncoder(Scalar inner) implements ColumnEncoder {

        @Override
        public boolean write(BsonValue value, ByteBuilder out) {
            int flag = out.size();
            out.append((byte) 0);
            if (value != null && !value.isNull() && inner.writeIfFits(value, out)) {
                return true;
            }
            out.set(flag, (byte) 1);
            return value != null && value.isNull();
        }

        @Override
        public void writeDefault(ByteBuilder out) {
            out.append((byte) 1);
        }
    }

    /** Array(T): the number of elements, then each; anything but an array is an empty one. */
    record ArrayEncoder(ColumnEncoder element) implements ColumnEncoder {

        @Override
        public boolean write(BsonValue value, ByteBuilder out) {
            if (!(value instanceof BsonArray elements)) {
                out.appendVarUInt(0);
                return false;
            }
            out.appendVarUInt(elements.size());
            boolean fits = true;
            for (BsonValue element : elements) {
                fits &= this.element.write(element, out);
            }
            return fits;
        }

        @Override
        public void writeDefault(ByteBuilder out) {
            out.appendVarUInt(0);
        }
    }
}
