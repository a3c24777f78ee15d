package dev.ferry.common.columns;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.common.columns.ColumnType.ArrayOf;
import dev.ferry.common.columns.ColumnType.Kind;
import dev.ferry.common.columns.ColumnType.NullableOf;
import dev.ferry.common.columns.ColumnType.Scalar;

/** The grammar of {@link ColumnType#parse}, with messages that name the part in question. */
final class ColumnTypeParser {

    static final String KNOWN = "types are String, Int64, Float64, Decimal(P,S) with P 1-38, Bool, UInt8, "
        + "DateTime64(3), DateTime, Nullable(T) of those, and Array(T) of those or of Nullable(T)";
    private static final Pattern WRAPPED = Pattern.compile("(?i)(nullable|array)\\((.*)\\)");
    private static final Pattern DECIMAL = Pattern.compile("(?i)decimal\\((\\d{1,3}),(\\d{1,3})\\)");

    private final String original;

    ColumnTypeParser(String original) {
        this.original = original;
    }

    ColumnType type(String text) {
        Matcher wrapped = WRAPPED.matcher(text);
        if (wrapped.matches()) {
            ColumnType inner = type(wrapped.group(2));
            if (wrapped.group(1).equalsIgnoreCase("nullable")) {
                if (!(inner instanceof Scalar scalar)) {
                    throw refused("Nullable takes a scalar type; ClickHouse has no nullable arrays, write "
                        + "Array(Nullable(T)) for arrays whose elements may be null");
                }
                return new NullableOf(scalar);
            }
            if (inner instanceof ArrayOf) {
                throw refused("arrays of arrays are not supported");
            }
            return new ArrayOf(inner);
        }
        return scalar(text);
    }

    private Scalar scalar(String text) {
        Matcher decimal = DECIMAL.matcher(text);
        if (decimal.matches()) {
            int precision = Integer.parseInt(decimal.group(1));
            int scale = Integer.parseInt(decimal.group(2));
            if (precision < 1 || precision > ColumnType.MAX_DECIMAL_PRECISION || scale > precision) {
                throw refused("Decimal(P,S) needs 1 <= P <= " + ColumnType.MAX_DECIMAL_PRECISION + " and 0 <= S <= P");
            }
            return new Scalar(Kind.DECIMAL, precision, scale);
        }
        for (Kind kind : Kind.values()) {
            if (kind != Kind.DECIMAL && kind.typeName().equalsIgnoreCase(text)) {
                return Scalar.of(kind);
            }
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("datetime64(")) {
            throw refused("DateTime64 is supported with precision 3 (milliseconds, as MongoDB keeps dates)");
        }
        throw refused("unknown type " + text);
    }

    private IllegalArgumentException refused(String problem) {
        return new IllegalArgumentException("type '" + original + "': " + problem + "; " + KNOWN);
    }
}
