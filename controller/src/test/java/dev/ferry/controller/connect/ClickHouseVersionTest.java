package dev.ferry.controller.connect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.ferry.controller.pipe.PipeSettings.DocColumnType;

/** The column types and HTTP features ferry picks by the destination's version. */
class ClickHouseVersionTest {

    @Test
    void oldServersGetStringDocsAndDateTime() {
        ClickHouseVersion v18 = ClickHouseVersion.parse("18.16.1");
        assertThat(v18.docColumnType(DocColumnType.AUTO)).isEqualTo("String");
        assertThat(v18.syncedAtType()).isEqualTo("DateTime");
    }

    @Test
    void currentServersGetJsonDocsAndDateTime64() {
        ClickHouseVersion v25 = ClickHouseVersion.parse("25.8.2.29");
        assertThat(v25.docColumnType(DocColumnType.AUTO)).isEqualTo("JSON");
        assertThat(v25.syncedAtType()).isEqualTo("DateTime64(9)");
    }

    @Test
    void typedColumnsTakeDateTimeAndUInt8WhereTheServerLacksDateTime64AndBool() {
        assertThat(ClickHouseVersion.parse("18.16").columnType("Nullable(DateTime64(3))"))
            .isEqualTo("Nullable(DateTime)");
        assertThat(ClickHouseVersion.parse("18.16").columnType("Array(Bool)")).isEqualTo("Array(UInt8)");
        assertThat(ClickHouseVersion.parse("21.8").columnType("Bool")).isEqualTo("UInt8");
        assertThat(ClickHouseVersion.parse("21.8").columnType("DateTime64(3)")).isEqualTo("DateTime64(3)");
        assertThat(ClickHouseVersion.parse("24.8").columnType("Bool")).isEqualTo("Bool");
        assertThat(ClickHouseVersion.parse("24.8").columnType("decimal(18,2)")).isEqualTo("Decimal(18, 2)");
    }

    @Test
    void stringIsAlwaysPossibleAndJsonOnlyWhereTheServerHasIt() {
        assertThat(ClickHouseVersion.parse("25.8").docColumnType(DocColumnType.STRING)).isEqualTo("String");
        assertThat(ClickHouseVersion.parse("24.8").docColumnType(DocColumnType.JSON)).isNull();
        assertThat(ClickHouseVersion.parse("24.8").docColumnType(DocColumnType.AUTO)).isEqualTo("String");
    }

    @Test
    void compressedResponsesAreAskedOnlyOfServersSeenToAnswerThem() {
        assertThat(ClickHouseVersion.parse("18.16.1").answersCompressedHttp()).isFalse();
        assertThat(ClickHouseVersion.parse("24.8.4.13").answersCompressedHttp()).isTrue();
    }
}
