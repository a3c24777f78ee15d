package dev.ferry.job.clickhouse;

import java.util.Map;

import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

import dev.ferry.common.JobSpec;
import dev.ferry.common.sql.SqlTemplate;
import dev.ferry.job.row.ChangeRow;

/**
 * The sink of one destination table: batched inserts through flink-connector-jdbc and clickhouse-jdbc, flushed
 * when a batch is full ({@code pullBatchSize}), when {@code syncIntervalSeconds} have passed, and on every
 * checkpoint. Rows are never updated in place: ReplacingMergeTree keeps the newest version of each {@code _id}.
 */
public final class ClickHouseSinks {

    private ClickHouseSinks() {
    }

    public static JdbcSink<ChangeRow> forTable(JobSpec spec, JobSpec.Table table) {
        JobSpec.Destination destination = spec.destination();
        String insert = SqlTemplate.load("insert_rows").render(Map.of("database", destination.database(),
            "table", spec.destinationOf(table)));
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder connection = new JdbcConnectionOptions
            .JdbcConnectionOptionsBuilder()
            .withUrl(jdbcUrl(destination.url(), destination.database(), destination.compression()))
            .withDriverName("com.clickhouse.jdbc.Driver");
        if (destination.username() != null && !destination.username().isEmpty()) {
            connection.withUsername(destination.username()).withPassword(destination.password().resolve());
        }
        return JdbcSink.<ChangeRow>builder()
            .withQueryStatement(insert, (statement, row) -> {
                statement.setString(1, row.id);
                statement.setString(2, row.doc);
                statement.setLong(3, row.version);
                statement.setByte(4, (byte) (row.deleted ? 1 : 0));
            })
            .withExecutionOptions(JdbcExecutionOptions.builder()
                .withBatchSize(spec.pullBatchSize())
                .withBatchIntervalMs(spec.syncIntervalSeconds() * 1000L)
                .withMaxRetries(5)
                .build())
            .buildAtLeastOnce(connection.build());
    }

    /**
     * The JDBC URL of a ClickHouse HTTP endpoint. Responses are asked for uncompressed unless the controller saw
     * the server answer compressed ones ({@code compression}): ClickHouse 18.16 answers such a request with an
     * empty body.
     */
    static String jdbcUrl(String httpUrl, String database, boolean compression) {
        String base = httpUrl.endsWith("/") ? httpUrl.substring(0, httpUrl.length() - 1) : httpUrl;
        return "jdbc:clickhouse:" + base + "/" + database + (compression ? "" : "?compress=false");
    }
}
