package dev.ferry.job.row;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.bson.BsonValue;
import org.bson.types.Decimal128;

/**
 * A BSON value as the value a typed column holds, or null when it does not fit the column's type: the conversions
 * of typed columns, apart from how they are written.
 */
final class BsonValues {

    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    private BsonValues() {
    }

    /** Text: strings as they are, ObjectIds in hex, numbers and booleans spelt out, dates in ISO-8601. */
    static String text(BsonValue value) {
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

    /** A number as a Java number: Integer, Long, Double or BigDecimal (NaN for a Decimal128 NaN or infinity). */
    static Number number(BsonValue value) {
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

    static boolean isNumber(BsonValue value) {
        return value.isNumber() || value.isDecimal128();
    }

    /** A whole number within Int64, or null (a fraction, beyond Int64, not a number). */
    static Long integral(BsonValue value) {
        BigDecimal exact = exact(value);
        if (exact == null) {
            return null;
        }
        try {
            return exact.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** A whole number from 0 to 255, or null. */
    static Long unsignedByte(BsonValue value) {
        Long integral = integral(value);
        return integral == null || integral < 0 || integral > 255 ? null : integral;
    }

    /** A number's exact value, or null for a value that is not a finite number. */
    static BigDecimal exact(BsonValue value) {
        if (!isNumber(value)) {
            return null;
        }
        Number number = number(value);
        if (number instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : BigDecimal.valueOf(d);
        }
        return number instanceof BigDecimal decimal ? decimal : BigDecimal.valueOf(number.longValue());
    }

    /** A number rounded to {@code scale} digits, or null when it has more than {@code precision} digits in all. */
    static BigDecimal decimal(BsonValue value, int precision, int scale) {
        BigDecimal exact = exact(value);
        if (exact == null) {
            return null;
        }
        BigDecimal scaled = exact.setScale(scale, RoundingMode.HALF_EVEN);
        return scaled.precision() - scaled.scale() > precision - scale ? null : scaled;
    }

    /** A date (or an ISO-8601 string) as milliseconds since the epoch, or null. */
    static Long epochMillis(BsonValue value) {
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

    /** A date as seconds since the epoch within a UInt32 (ClickHouse's DateTime), or null. */
    static Long seconds(BsonValue value) {
        Long millis = epochMillis(value);
        if (millis == null) {
            return null;
        }
        long seconds = Math.floorDiv(millis, 1000);
        return seconds < 0 || seconds > UINT32_MAX ? null : seconds;
    }
}
