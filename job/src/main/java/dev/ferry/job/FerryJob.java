package dev.ferry.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import dev.ferry.common.JobGraphNames;
import dev.ferry.common.JobSpec;
import dev.ferry.common.Versions;
import dev.ferry.job.cdc.ChangeStreamSource;
import dev.ferry.job.cdc.SourceEvents;
import dev.ferry.job.cdc.WatchedCollections;
import dev.ferry.job.clickhouse.ClickHouseSink;
import dev.ferry.job.keys.FollowKeys;
import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.TableRows;
import dev.ferry.job.snapshot.SnapshotLoad;
import dev.ferry.job.snapshot.SnapshotSource;

/**
 * The Flink job of one pipe: two chains, each a source with the ClickHouse sink in the same task (rows never
 * cross the network inside Flink). The bounded snapshot loads the collections not loaded yet
 * ({@link SnapshotSource}), side by side with the unbounded change stream that starts at the operation time
 * captured before the snapshot began; versions make their order irrelevant: a snapshot row is older than every
 * change from the stream, so whichever arrives first, ClickHouse keeps the newer. When the snapshot finishes, the
 * job goes on streaming. A table with typed columns in its sorting or partition key takes every row of a document
 * through one keyed operator ({@link FollowKeys}): then the two chains' rows meet before a shared sink.
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
    /** Fixed, so that the keyed state of documents' keys restores whatever the readers' parallelism. */
    private static final int KEYED_MAX_PARALLELISM = 128;
    /** The longest pause between two checkpoints: time to work between syncs, however long the interval. */
    private static final long MAX_MIN_PAUSE_MILLIS = 2_000;

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
        syncEveryInterval(env, spec);
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
        Set<String> keyed = spec.tables().stream().filter(table -> !table.keyColumns().isEmpty())
            .map(JobSpec.Table::table).collect(Collectors.toSet());
        DataStream<ChangeRow> changes = null;
        if (spec.streamsChanges()) {
            changes = env.fromSource(new ChangeStreamSource(spec.source(), WatchedCollections.of(spec),
                        Math.min(spec.pullBatchSize(), CHANGE_BATCH), spec.startAtOperationTime()),
                    WatermarkStrategy.noWatermarks(), JobGraphNames.CHANGE_STREAM_VERTEX)
                .uid("change-stream")
                .setParallelism(1)
                .process(new SourceEvents(spec.tables().stream().map(JobSpec.Table::table).toList()))
                .name("Source events").uid("source-events")
                .setParallelism(1);
        }
        DataStream<ChangeRow> snapshot = null;
        List<SnapshotLoad> loads = loads(spec);
        int readers = spec.snapshot().parallelism();
        String round = loads.isEmpty() ? "" : round(loads);
        if (!loads.isEmpty()) {
            snapshot = env.fromSource(new SnapshotSource(spec.source(), loads, spec.snapshot(),
                        Math.min(spec.pullBatchSize(), SNAPSHOT_BATCH), keyed, readers, KEYED_MAX_PARALLELISM),
                    WatermarkStrategy.noWatermarks(), JobGraphNames.SNAPSHOT_VERTEX)
                .uid("snapshot-" + round)
                .setParallelism(readers);
        }
        if (keyed.isEmpty()) {
            if (changes != null) {
                changes.sinkTo(ClickHouseSink.of(spec, "changes")).name("ClickHouse changes").uid("sink-changes")
                    .setParallelism(1);
            }
            if (snapshot != null) {
                snapshot.sinkTo(ClickHouseSink.of(spec, "snapshot")).name("ClickHouse snapshot")
                    .uid("sink-snapshot-" + round).setParallelism(readers);
            }
            return;
        }
        // a table whose key holds typed columns: every row of a document passes one keyed operator that knows where
        // the document's row lies (the shuffle this takes is paid only by pipes with such tables)
        DataStream<ChangeRow> rows = changes == null ? snapshot : snapshot == null ? changes : changes.union(snapshot);
        rows.keyBy(FollowKeys.byDocument())
            .process(new FollowKeys(keyed))
            .name("Follow keys").uid("follow-keys")
            .setParallelism(readers).setMaxParallelism(KEYED_MAX_PARALLELISM)
            .sinkTo(ClickHouseSink.of(spec, "rows"))
            .name("ClickHouse rows").uid("sink-keyed")
            .setParallelism(readers).setMaxParallelism(KEYED_MAX_PARALLELISM);
    }

    /**
     * A checkpoint every {@code syncIntervalSeconds}: each is a sync, the unit in which rows become durable and
     * are logged ({@link ClickHouseSink}), so that what the sync log shows keeps up with the tables.
     */
    private static void syncEveryInterval(StreamExecutionEnvironment env, JobSpec spec) {
        long interval = spec.syncIntervalSeconds() * 1000L;
        env.enableCheckpointing(interval);
        env.getCheckpointConfig().setMinPauseBetweenCheckpoints(Math.min(interval / 2, MAX_MIN_PAUSE_MILLIS));
    }

    /** The collections this job loads, each at its version: the table's own, or the pipe's. */
    static List<SnapshotLoad> loads(JobSpec spec) {
        long pipeVersion = Versions.snapshotVersion(spec.startAtOperationTime() >>> 32,
            spec.startAtOperationTime() & 0xffffffffL);
        return spec.tablesToLoad().stream().map(table -> new SnapshotLoad(table.loadKey(), table.database(),
            table.collection(), table.snapshotVersion() >= 0 ? table.snapshotVersion() : pipeVersion,
            TableRows.of(table))).toList();
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
