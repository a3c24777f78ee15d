package dev.ferry.job;

import java.nio.file.Path;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.mongodb.source.MongoSource;
import org.apache.flink.connector.mongodb.source.enumerator.splitter.PartitionStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import dev.ferry.job.cdc.ChangeStreamSource;
import dev.ferry.job.clickhouse.ClickHouseSinks;
import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.Versions;
import dev.ferry.job.snapshot.SnapshotRows;

/**
 * The Flink job of one pipe. A bounded snapshot of every mapped collection (flink-connector-mongodb) runs side by
 * side with the unbounded change stream that starts at the operation time captured before the snapshot began;
 * versions make their order irrelevant: a snapshot row is older than every change from the stream, so whichever
 * arrives first, ClickHouse keeps the newer. When the snapshot vertices finish, the job goes on streaming.
 *
 * <p>Operator uids are fixed by table name so that savepoints stay compatible across restarts.
 */
public final class FerryJob {

    /** Vertex names of snapshot sources start with this, which is how the controller tells Snapshot from Running. */
    public static final String SNAPSHOT_VERTEX_PREFIX = "Snapshot ";
    public static final String CHANGE_STREAM_VERTEX = "Change stream";

    private FerryJob() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--spec")) {
            throw new IllegalArgumentException("usage: FerryJob --spec <pipe spec JSON file>");
        }
        PipeSpec spec = PipeSpec.read(Path.of(args[1]));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, spec);
        env.execute("ferry pipe " + spec.name() + " (" + spec.pipeId() + ")");
    }

    public static void build(StreamExecutionEnvironment env, PipeSpec spec) {
        DataStream<ChangeRow> rows = null;
        if (spec.snapshots()) {
            long snapshotVersion = Versions.snapshotVersion(spec.startAtOperationTime() >>> 32,
                spec.startAtOperationTime() & 0xffffffffL);
            for (PipeSpec.Table table : spec.tables()) {
                MongoSource<ChangeRow> source = MongoSource.<ChangeRow>builder()
                    .setUri(spec.mongoUri())
                    .setDatabase(table.database())
                    .setCollection(table.collection())
                    .setPartitionStrategy(PartitionStrategy.SAMPLE)
                    .setFetchSize(Math.min(spec.pullBatchSize(), 10_000))
                    .setDeserializationSchema(new SnapshotRows(table.table(), snapshotVersion))
                    .build();
                DataStream<ChangeRow> snapshot = env
                    .fromSource(source, WatermarkStrategy.noWatermarks(), SNAPSHOT_VERTEX_PREFIX + table.table())
                    .uid("snapshot-" + table.table())
                    .setParallelism(spec.snapshotParallelism());
                rows = rows == null ? snapshot : rows.union(snapshot);
            }
        }
        if (spec.streamsChanges()) {
            DataStream<ChangeRow> changes = env
                .fromSource(new ChangeStreamSource(spec.mongoUri(), spec.watchedCollections(),
                        Math.min(spec.pullBatchSize(), 10_000), spec.startAtOperationTime()),
                    WatermarkStrategy.noWatermarks(), CHANGE_STREAM_VERTEX)
                .uid("change-stream")
                .setParallelism(1);
            rows = rows == null ? changes : rows.union(changes);
        }
        for (PipeSpec.Table table : spec.tables()) {
            String name = table.table();
            rows.filter(row -> row.table.equals(name))
                .name("Rows for " + name).uid("route-" + name)
                .sinkTo(ClickHouseSinks.forTable(spec, name))
                .name("ClickHouse " + name).uid("sink-" + name);
        }
    }
}
