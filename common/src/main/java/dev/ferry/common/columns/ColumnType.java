package dev.ferry.common.columns;

import java.io.Serializable;

/**
 * The ClickHouse type of a typed column: a scalar ({@link Kind}), {@code Nullable(scalar)}, or {@code Array(T)} of a
 * scalar or a nullable scalar. ClickHouse has no nullable array, so {@code Nullable(Array(...))} is refused with
 * what to write instead. Shared by the controller (which checks and resolves a mapping's types) and the job (which
 * encodes values of them).
 */
public sealed interface ColumnType extends Serializable permits ColumnType.Scalar, ColumnType.NullableOf,
    ColumnType.ArrayOf {

    /** The largest precision of {@code Decimal(P,S)}: Decimal128, the widest every supported server has. */
    int MAX_DECIMAL_PRECISION = 38;

    /** The scalar types a column may have. */
    enum Kind {
        STRING("String"), INT64("Int64"), FLOAT64("Float64"), DECIMAL("Decimal"), BOOL("Bool"), UINT8("UInt8"),
        DATETIME64("DateTime64(3)"), DATETIME("DateTime");

        private final String name;

        Kind(String name) {
            this.name = name;
        }

        public String typeName() {
            return name;
        }
    }

    /** A scalar; {@code precision} and {@code scale} only for {@link Kind#DECIMAL}. */
    record Scalar(Kind kind, int precision, int scale) implements ColumnType {

        public static Scalar of(Kind kind) {
            return new Scalar(kind, 0, 0);
        }

        @Override
        public String typeName() {
            return kind == Kind.DECIMAL ? "Decimal(" + precision + ", " + scale + ")" : kind.typeName();
        }
    }

    record NullableOf(Scalar inner) implements ColumnType {

        @Override
        public String typeName() {
            return "Nullable(" + inner.typeName() + ")";
        }
    }

    /** An array of a scalar or a nullable scalar. */
    record ArrayOf(ColumnType element) implements ColumnType {

        @Override
        public String typeName() {
            return "Array(" + element.typeName() + ")";
        }
    }

    /** The type as ClickHouse writes it, e.g. {@code Nullable(Decimal(18, 2))}. */
    String typeName();

    /** Whether a sorting key may hold it: ClickHouse keeps nullable columns and arrays out of sorting keys. */
    default boolean sortable() {
        return this instanceof Scalar;
    }

    /**
     * This type on a server with or without {@code DateTime64} and {@code Bool}: {@code DateTime64(3)} becomes
     * {@code DateTime} (seconds) and {@code Bool} becomes {@code UInt8} where the server lacks them.
     */
    default ColumnType onServer(boolean dateTime64, boolean bool) {
        if (this instanceof NullableOf nullable) {
            return new NullableOf((Scalar) nullable.inner().onServer(dateTime64, bool));
        }
        if (this instanceof ArrayOf array) {
            return new ArrayOf(array.element().onServer(dateTime64, bool));
        }
        Scalar scalar = (Scalar) this;
        if (scalar.kind() == Kind.DATETIME64 && !dateTime64) {
            return Scalar.of(Kind.DATETIME);
        }
        return scalar.kind() == Kind.BOOL && !bool ? Scalar.of(Kind.UINT8) : scalar;
    }

    /**
     * Parses a type as a user writes it (case of the names as ClickHouse has them, or any case; spaces allowed).
     *
     * @throws IllegalArgumentException saying what is wrong and which types there are
     */
    static ColumnType parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a type is required; " + ColumnTypeParser.KNOWN);
        }
        return new ColumnTypeParser(text).type(text.replace(" ", ""));
    }
}
