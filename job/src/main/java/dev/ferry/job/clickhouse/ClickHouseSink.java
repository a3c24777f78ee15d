package dev.ferry.job.clickhouse;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import dev.ferry.common.JobSpec;
import dev.ferry.common.sql.SqlTemplate;
import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.TypedColumns;

/**
 * The sink of a pipe's rows into its ClickHouse tables, one writer for all of them. Rows wait in a batch per table,
 * encoded, and a batch is inserted when it holds {@code pullBatchSize} rows or {@link #BATCH_BYTES}, when the
 * writer's batches together hold {@link #BUFFERED_BYTES} (the largest goes), every {@code syncIntervalSeconds},
 * and at every checkpoint: rows are in ClickHouse before the checkpoint that passed them completes (at least
 * once; a row written twice is harmless, ReplacingMergeTree keeps one per version). Memory is bounded by bytes
 * whatever the size of the documents.
 */
public final class ClickHouseSink implements Sink<ChangeRow> {

    private static final long serialVersionUID = 1L;
    /** The most a table's batch holds before it is inserted. */
    static final long BATCH_BYTES = 16L * 1024 * 1024;
    /** The most all of a writer's batches hold together. */
    static final long BUFFERED_BYTES = 48L * 1024 * 1024;

    private final JobSpec.Destination destination;
    private final Map<String, InsertTarget> destinationByTable;
    private final int batchRows;
    private final long intervalMillis;

    private ClickHouseSink(JobSpec.Destination destination, Map<String, InsertTarget> destinationByTable, int batchRows,
                           long intervalMillis) {
        this.destination = destination;
        this.destinationByTable = destinationByTable;
        this.batchRows = batchRows;
        this.intervalMillis = intervalMillis;
    }

    /** The sink of the spec's tables, each row going to its table's destination ({@code _resync} while loading). */
    public static ClickHouseSink of(JobSpec spec) {
        Map<String, InsertTarget> destinations = new LinkedHashMap<>();
        for (JobSpec.Table table : spec.tables()) {
            destinations.put(table.table(), new InsertTarget(SqlTemplate.quotedName(spec.destination().database(),
                spec.destinationOf(table)), RowBinaryRows.columns(TypedColumns.of(table).names())));
        }
        return new ClickHouseSink(spec.destination(), destinations, spec.pullBatchSize(),
            spec.syncIntervalSeconds() * 1000L);
    }

    @Override
    public SinkWriter<ChangeRow> createWriter(WriterInitContext context) {
        BackgroundInserts inserts = new BackgroundInserts(ClickHouseInserts.connect(destination),
            "ClickHouse inserts " + context.getTaskInfo().getTaskNameWithSubtasks());
        return new ClickHouseWriter(inserts, destinationByTable, batchRows,
            BATCH_BYTES, BUFFERED_BYTES, intervalMillis, context.getProcessingTimeService(), context.metricGroup());
    }

    /** Flink 1.20 creates writers with {@link #createWriter(WriterInitContext)}; this older form is not used. */
    @Override
    @Deprecated
    public SinkWriter<ChangeRow> createWriter(InitContext context) {
        throw new UnsupportedOperationException("created through createWriter(WriterInitContext)");
    }
}
