package dev.ferry.common.columns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ColumnTypeTest {

    @Test
    void typesAreReadInAnyCaseAndWrittenAsClickHouseWritesThem() {
        assertThat(ColumnType.parse("string").typeName()).isEqualTo("String");
        assertThat(ColumnType.parse("Decimal(18,2)").typeName()).isEqualTo("Decimal(18, 2)");
        assertThat(ColumnType.parse("Nullable( Decimal(38, 4) )").typeName()).isEqualTo("Nullable(Decimal(38, 4))");
        assertThat(ColumnType.parse("Array(Nullable(Int64))").typeName()).isEqualTo("Array(Nullable(Int64))");
        assertThat(ColumnType.parse("DateTime64(3)").typeName()).isEqualTo("DateTime64(3)");
    }

    @Test
    void aTypeNameIsTheSameTypeWhenReadAgain() {
        for (String type : new String[] {"String", "Int64", "Float64", "Decimal(9,0)", "Bool", "UInt8",
            "DateTime64(3)", "DateTime", "Nullable(String)", "Array(String)", "Array(Nullable(Decimal(20,5)))"}) {
            ColumnType parsed = ColumnType.parse(type);
            assertThat(ColumnType.parse(parsed.typeName())).isEqualTo(parsed);
        }
    }

    @Test
    void onAServerWithoutDateTime64AndBoolTheyBecomeDateTimeAndUInt8() {
        assertThat(ColumnType.parse("Nullable(DateTime64(3))").onServer(false, false).typeName())
            .isEqualTo("Nullable(DateTime)");
        assertThat(ColumnType.parse("Array(Bool)").onServer(false, false).typeName()).isEqualTo("Array(UInt8)");
        assertThat(ColumnType.parse("Array(Bool)").onServer(true, true).typeName()).isEqualTo("Array(Bool)");
    }

    @Test
    void onlyPlainScalarsCanBeInASortingKey() {
        assertThat(ColumnType.parse("Int64").sortable()).isTrue();
        assertThat(ColumnType.parse("Nullable(Int64)").sortable()).isFalse();
        assertThat(ColumnType.parse("Array(Int64)").sortable()).isFalse();
    }

    @Test
    void aNullableArrayIsRefusedWithWhatToWriteInstead() {
        assertThatThrownBy(() -> ColumnType.parse("Nullable(Array(String))"))
            .hasMessageContaining("Array(Nullable(T))");
    }

    @Test
    void unknownTypesAndBadDecimalsAreRefusedNamingTheKnownTypes() {
        assertThatThrownBy(() -> ColumnType.parse("Map(String, String)")).hasMessageContaining("unknown type")
            .hasMessageContaining("Decimal(P,S)");
        assertThatThrownBy(() -> ColumnType.parse("Decimal(40,2)")).hasMessageContaining("1 <= P <= 38");
        assertThatThrownBy(() -> ColumnType.parse("Decimal(5,6)")).hasMessageContaining("S <= P");
        assertThatThrownBy(() -> ColumnType.parse("DateTime64(6)")).hasMessageContaining("precision 3");
        assertThatThrownBy(() -> ColumnType.parse("Array(Array(Int64))")).hasMessageContaining("arrays of arrays");
        assertThatThrownBy(() -> ColumnType.parse(" ")).hasMessageContaining("required");
    }
}
