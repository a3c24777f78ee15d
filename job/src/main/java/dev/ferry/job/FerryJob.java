package dev.ferry.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.mongodb.source.MongoSource;
import org.apache.flink.connector.mongodb.source.enumerator.splitter.PartitionStrategy;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import dev.ferry.common.JobGraphNames;
import dev.ferry.common.JobSpec;
import dev.ferry.common.Versions;
import dev.ferry.job.cdc.ChangeStreamSource;
import dev.ferry.job.cdc.RouteByTable;
import dev.ferry.job.cdc.WatchedCollections;
import dev.ferry.job.clickhouse.ClickHouseSinks;
import dev.ferry.job.clickhouse.ReleaseJdbcDrivers;
import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.snapshot.RereadPartitionsSource;
import dev.ferry.job.snapshot.SnapshotRows;

/**
 * The Flink job of one pipe. A bounded snapshot of every mapped collection (flink-connector-mongodb) runs side by
 * side with the unbounded change stream that starts at the operation time captured before the snapshot began;
 * versions make their order irrelevant: a snapshot row is older than every change from the stream, so whichever
 * arrives first, ClickHouse keeps the newer. When the snapshot vertices finish, the job goes on streaming.
 *
 * <p>Vertex and counter names are in {@link JobGraphNames}. Operator uids are fixed by table name so that savepoints stay compatible across restarts.
 */
public final class FerryJob {


    private FerryJob() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--spec")) {
            throw new IllegalArgumentException("usage: FerryJob --spec <URI of the pipe's spec JSON>");
        }
        JobSpec spec = read(new Path(args[1]));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (spec.checkpointDirectory() != null) {
            // the pipe's checkpoints go to the state directory the controller can read too, whatever the cluster's
            Configuration checkpoints = new Configuration();
            checkpoints.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, spec.checkpointDirectory());
            env.configure(checkpoints);
        }
        build(env, spec);
        env.execute("ferry pipe " + spec.name() + " (" + spec.pipeId() + ")");
    }

    /** The spec the controller wrote, read through Flink's file systems (local, S3, HDFS ...). */
    static JobSpec read(Path spec) throws IOException {
        try (FSDataInputStream in = spec.getFileSystem().open(spec)) {
            return JobSpec.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    public static void build(StreamExecutionEnvironment env, JobSpec spec) {
        List<String> tables = spec.tables().stream().map(JobSpec.Table::table).toList();
        SingleOutputStreamOperator<ChangeRow> changes = null;
        if (spec.streamsChanges()) {
            changes = env
                .fromSource(new ChangeStreamSource(spec.source().connectionString(), new WatchedCollections(spec.tableByNamespace()),
                        Math.min(spec.pullBatchSize(), 10_000), spec.startAtOperationTime()),
                    WatermarkStrategy.noWatermarks(), JobGraphNames.CHANGE_STREAM_VERTEX)
                .uid("change-stream")
                .setParallelism(1)
                .process(new RouteByTable(tables))
                .name("Route changes").uid("route-changes")
                .setParallelism(1);
        }
        long snapshotVersion = Versions.snapshotVersion(spec.startAtOperationTime() >>> 32,
            spec.startAtOperationTime() & 0xffffffffL);
        for (JobSpec.Table table : spec.tables()) {
            DataStream<ChangeRow> rows = null;
            if (spec.snapshots()) {
                long version = table.snapshotVersion() >= 0 ? table.snapshotVersion() : snapshotVersion;
                rows = env.fromSource(snapshotOf(spec, table, version), WatermarkStrategy.noWatermarks(),
                        JobGraphNames.snapshotVertex(table.table()))
                    // a table added later, or added again, gets a snapshot operator of its own
                    .uid("snapshot-" + table.table() + (table.generation() == 0 ? "" : "-" + table.generation()))
                    .setParallelism(spec.snapshotParallelism())
                    // a vertex of its own, so that it shows as FINISHED (and its rows as written) when done
                    .disableChaining();
            }
            if (changes != null) {
                DataStream<ChangeRow> tableChanges = changes.getSideOutput(RouteByTable.outputOf(table.table()));
                rows = rows == null ? tableChanges : rows.union(tableChanges);
            }
            rows.map(new ReleaseJdbcDrivers()).name("ClickHouse " + table.table() + ": rows")
                .uid("sink-rows-" + table.table())
                .sinkTo(ClickHouseSinks.forTable(spec, table))
                .name("ClickHouse " + table.table()).uid("sink-" + table.table());
        }
    }

    private static RereadPartitionsSource<ChangeRow> snapshotOf(JobSpec spec, JobSpec.Table table,
                                                                long snapshotVersion) {
        return new RereadPartitionsSource<>(MongoSource.<ChangeRow>builder()
            .setUri(spec.source().connectionString())
            .setDatabase(table.database())
            .setCollection(table.collection())
            .setPartitionStrategy(PartitionStrategy.SAMPLE)
            .setFetchSize(Math.min(spec.pullBatchSize(), 10_000))
            .setDeserializationSchema(new SnapshotRows(table.table(), snapshotVersion))
            .build());
    }
}
