package dev.ferry.job.clickhouse;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

import dev.ferry.common.JobSpec;
import dev.ferry.common.sql.SqlTemplate;
import dev.ferry.common.sql.SyncLogTable;
import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.TypedColumns;
import dev.ferry.job.sync.StampCheckpoints;
import dev.ferry.job.sync.SyncRecord;
import dev.ferry.job.sync.SyncRecordSerializer;
import dev.ferry.job.sync.SyncTally;

/**
 * The sink of a pipe's rows into its ClickHouse tables, one writer for all of them. Rows wait in a batch per table,
 * encoded, and a batch is inserted when it holds {@code pullBatchSize} rows or {@link #BATCH_BYTES}, when the
 * writer's batches together hold {@link #BUFFERED_BYTES} (the largest goes), every {@code syncIntervalSeconds},
 * and at every checkpoint: rows are in ClickHouse before the checkpoint that passed them completes (at least
 * once; a row written twice is harmless, ReplacingMergeTree keeps one per version). Memory is bounded by bytes
 * whatever the size of the documents.
 *
 * <p>What each writer made durable between two checkpoints is a sync ({@link SyncRecord}, the sink's committable):
 * the checkpoint's id is set on it before the committer ({@link SyncLogCommitter}) writes it to the sync log once
 * the checkpoint has completed, so that the log counts every row once, however often the job is restored.
 */
public final class ClickHouseSink implements Sink<ChangeRow>, SupportsCommitter<SyncRecord>,
    SupportsPreCommitTopology<SyncRecord, SyncRecord> {

    private static final long serialVersionUID = 2L;
    /** The most a table's batch holds before it is inserted. */
    static final long BATCH_BYTES = 16L * 1024 * 1024;
    /** The most all of a writer's batches hold together. */
    static final long BUFFERED_BYTES = 48L * 1024 * 1024;

    private final String name;
    private final String pipeId;
    private final String pipe;
    private final JobSpec.Destination destination;
    private final SyncLogTable syncLog;
    private final Map<String, InsertTarget> destinationByTable;
    private final Map<String, Long> loadIds;
    private final int batchRows;
    private final long intervalMillis;

    private ClickHouseSink(String name, JobSpec spec, Map<String, InsertTarget> destinationByTable,
                           Map<String, Long> loadIds) {
        this.name = name;
        this.pipeId = spec.pipeId();
        this.pipe = spec.name();
        this.destination = spec.destination();
        this.syncLog = spec.syncLog();
        this.destinationByTable = destinationByTable;
        this.loadIds = loadIds;
        this.batchRows = spec.pullBatchSize();
        this.intervalMillis = spec.syncIntervalSeconds() * 1000L;
    }

    /**
     * The sink of the spec's tables, each row going to its table's destination ({@code _resync} while loading);
     * {@code name} tells its writers apart from those of the job's other sinks in the sync log.
     */
    public static ClickHouseSink of(JobSpec spec, String name) {
        Map<String, InsertTarget> destinations = new LinkedHashMap<>();
        Map<String, Long> loadIds = new LinkedHashMap<>();
        for (JobSpec.Table table : spec.tables()) {
            destinations.put(table.table(), new InsertTarget(SqlTemplate.quotedName(spec.destination().database(),
                spec.destinationOf(table)), RowBinaryRows.columns(TypedColumns.of(table).names())));
            loadIds.put(table.table(), table.loadId());
        }
        return new ClickHouseSink(name, spec, destinations, loadIds);
    }

    @Override
    public ClickHouseWriter createWriter(WriterInitContext context) {
        BackgroundInserts inserts = new BackgroundInserts(ClickHouseInserts.connect(destination),
            "ClickHouse inserts " + context.getTaskInfo().getTaskNameWithSubtasks());
        ClickHouseWriter.Identity identity = new ClickHouseWriter.Identity(pipeId, pipe,
            context.getJobInfo().getJobId().toHexString(), name + "#" + context.getTaskInfo().getIndexOfThisSubtask());
        return new ClickHouseWriter(inserts, destinationByTable, identity, new SyncTally(loadIds), batchRows,
            BATCH_BYTES, BUFFERED_BYTES, intervalMillis, context.getProcessingTimeService(), context.metricGroup());
    }

    /** Flink 1.20 creates writers with {@link #createWriter(WriterInitContext)}; this older form is not used. */
    @Override
    @Deprecated
    public SinkWriter<ChangeRow> createWriter(InitContext context) {
        throw new UnsupportedOperationException("created through createWriter(WriterInitContext)");
    }

    @Override
    public Committer<SyncRecord> createCommitter(CommitterInitContext context) {
        return new SyncLogCommitter(ClickHouseInserts.connect(destination), syncLog, System::currentTimeMillis);
    }

    @Override
    public SimpleVersionedSerializer<SyncRecord> getCommittableSerializer() {
        return new SyncRecordSerializer();
    }

    /** Each writer's sync learns the checkpoint that commits it, which the writer itself is not told. */
    @Override
    public DataStream<CommittableMessage<SyncRecord>> addPreCommitTopology(
        DataStream<CommittableMessage<SyncRecord>> committables) {
        return committables.map(new StampCheckpoints()).returns(committables.getType()).name("Sync ids");
    }

    @Override
    public SimpleVersionedSerializer<SyncRecord> getWriteResultSerializer() {
        return new SyncRecordSerializer();
    }
}
