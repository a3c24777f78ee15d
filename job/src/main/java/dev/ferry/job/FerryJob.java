package dev.ferry.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import dev.ferry.common.JobGraphNames;
import dev.ferry.common.JobSpec;
import dev.ferry.common.Versions;
import dev.ferry.job.cdc.ChangeStreamSource;
import dev.ferry.job.cdc.CountChanges;
import dev.ferry.job.cdc.WatchedCollections;
import dev.ferry.job.clickhouse.ClickHouseSink;
import dev.ferry.job.snapshot.SnapshotLoad;
import dev.ferry.job.snapshot.SnapshotSource;

/**
 * The Flink job of one pipe: two chains, each a source with the ClickHouse sink in the same task (rows never
 * cross the network inside Flink). The bounded snapshot loads the collections not loaded yet
 * ({@link SnapshotSource}), side by side with the unbounded change stream that starts at the operation time
 * captured before the snapshot began; versions make their order irrelevant: a snapshot row is older than every
 * change from the stream, so whichever arrives first, ClickHouse keeps the newer. When the snapshot finishes, the
 * job goes on streaming.
 *
 * <p>Vertex and metric names are in {@link JobGraphNames}. Operator uids are fixed so that savepoints stay
 * compatible across restarts; the snapshot's name its loads, so that a job with other collections to load starts
 * a new snapshot instead of restoring a finished one.
 */
public final class FerryJob {

    /** Documents per cursor batch of a snapshot reader. */
    private static final int SNAPSHOT_BATCH = 2_000;
    /** Changes per cursor batch of the change stream, at most. */
    private static final int CHANGE_BATCH = 10_000;

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
        // no operator changes a row or keeps one after passing it on: a chained operator can take the object
        // itself instead of a copy (the copy, by reflection, was a tenth of the snapshot's cost in the job)
        env.getConfig().enableObjectReuse();
        if (spec.streamsChanges()) {
            env.fromSource(new ChangeStreamSource(spec.source(), WatchedCollections.of(spec),
                        Math.min(spec.pullBatchSize(), CHANGE_BATCH), spec.startAtOperationTime()),
                    WatermarkStrategy.noWatermarks(), JobGraphNames.CHANGE_STREAM_VERTEX)
                .uid("change-stream")
                .setParallelism(1)
                .process(new CountChanges(spec.tables().stream().map(JobSpec.Table::table).toList()))
                .name("Count changes").uid("count-changes")
                .setParallelism(1)
                .sinkTo(ClickHouseSink.of(spec))
                .name("ClickHouse changes").uid("sink-changes")
                .setParallelism(1);
        }
        List<SnapshotLoad> loads = loads(spec);
        if (!loads.isEmpty()) {
            String round = round(loads);
            int readers = spec.snapshot().parallelism();
            env.fromSource(new SnapshotSource(spec.source(), loads, spec.snapshot(),
                        Math.min(spec.pullBatchSize(), SNAPSHOT_BATCH)),
                    WatermarkStrategy.noWatermarks(), JobGraphNames.SNAPSHOT_VERTEX)
                .uid("snapshot-" + round)
                .setParallelism(readers)
                .sinkTo(ClickHouseSink.of(spec))
                .name("ClickHouse snapshot").uid("sink-snapshot-" + round)
                .setParallelism(readers);
        }
    }

    /** The collections this job loads, each at its version: the table's own, or the pipe's. */
    static List<SnapshotLoad> loads(JobSpec spec) {
        long pipeVersion = Versions.snapshotVersion(spec.startAtOperationTime() >>> 32,
            spec.startAtOperationTime() & 0xffffffffL);
        return spec.tablesToLoad().stream().map(table -> new SnapshotLoad(table.loadKey(), table.database(),
            table.collection(), table.table(), table.snapshotVersion() >= 0 ? table.snapshotVersion() : pipeVersion,
            table.exclusions())).toList();
    }

    /** A name for a set of loads: the same loads restore the same snapshot, other loads start a new one. */
    static String round(List<SnapshotLoad> loads) {
        String keys = String.join(",", loads.stream().map(SnapshotLoad::key).sorted().toList());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keys.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
