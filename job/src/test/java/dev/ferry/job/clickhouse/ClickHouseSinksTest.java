package dev.ferry.job.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sink's JDBC URL asks for uncompressed responses only when the server cannot answer compressed ones. */
class ClickHouseSinksTest {

    @Test
    void aServerThatCannotCompressIsAskedForUncompressedResponses() {
        assertThat(ClickHouseSinks.jdbcUrl("http://ch:8123/", "shop", false))
            .isEqualTo("jdbc:clickhouse:http://ch:8123/shop?compress=false");
    }

    @Test
    void aServerThatCanCompressKeepsTheDriversDefault() {
        assertThat(ClickHouseSinks.jdbcUrl("http://ch:8123", "shop", true)).isEqualTo("jdbc:clickhouse:http://ch:8123/shop");
    }
}
