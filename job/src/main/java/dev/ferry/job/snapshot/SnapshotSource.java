package dev.ferry.job.snapshot;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.ferry.common.JobSpec;
import dev.ferry.job.row.ChangeRow;

/**
 * The bounded source that loads a pipe's collections: {@code parallelTables} collections at a time, each in
 * {@code _id} ranges that {@code parallelism} readers read side by side ({@link SnapshotEnumerator},
 * {@link SnapshotSourceReader}). Every row carries its load's version, just below the cluster time at which its
 * changes start, so that any change wins over it whatever order they arrive in. The connection string (with its
 * password) is resolved where the enumerator and the readers run, not kept in the job graph.
 */
public final class SnapshotSource implements Source<ChangeRow, SnapshotSplit, SnapshotEnumeratorState>,
    ResultTypeQueryable<ChangeRow> {

    private static final long serialVersionUID = 1L;

    private final JobSpec.Source mongo;
    private final List<SnapshotLoad> loads;
    private final JobSpec.Snapshot settings;
    private final int batchSize;
    private final RangeEnds rangeEnds;

    /**
     * @param keyedTables of the loads' tables, those whose rows go through {@code keys/FollowKeys}, spread over
     *                    {@code keyedWriters} writers by a keyed operator of {@code keyedMaxParallelism}
     */
    public SnapshotSource(JobSpec.Source mongo, List<SnapshotLoad> loads, JobSpec.Snapshot settings, int batchSize,
                          Set<String> keyedTables, int keyedWriters, int keyedMaxParallelism) {
        this.mongo = mongo;
        this.loads = List.copyOf(loads);
        this.settings = settings;
        this.batchSize = batchSize;
        Map<String, String> tableByLoad = new HashMap<>();
        loads.forEach(load -> tableByLoad.put(load.key(), load.table()));
        this.rangeEnds = new RangeEnds(tableByLoad, keyedTables, keyedWriters, keyedMaxParallelism);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<ChangeRow, SnapshotSplit> createReader(SourceReaderContext context) {
        Map<String, SnapshotLoad> byKey = new LinkedHashMap<>();
        Map<String, String> tableByLoad = new HashMap<>();
        for (SnapshotLoad load : loads) {
            byKey.put(load.key(), load);
            tableByLoad.put(load.key(), load.table());
        }
        return new SnapshotSourceReader(
            () -> new SnapshotSplitReader(MongoClients.create(mongo.connectionString()), byKey, batchSize),
            tableByLoad, rangeEnds, context);
    }

    @Override
    public SplitEnumerator<SnapshotSplit, SnapshotEnumeratorState> createEnumerator(
        SplitEnumeratorContext<SnapshotSplit> context) {
        return restoreEnumerator(context,
            SnapshotEnumeratorState.initial(loads.stream().map(SnapshotLoad::key).toList()));
    }

    @Override
    public SplitEnumerator<SnapshotSplit, SnapshotEnumeratorState> restoreEnumerator(
        SplitEnumeratorContext<SnapshotSplit> context, SnapshotEnumeratorState state) {
        MongoClient client = MongoClients.create(mongo.connectionString());
        return new SnapshotEnumerator(context, loads,
            new ChunkPartitioner(client, new SamplePartitioner(client, settings.rowsPerPartition())),
            settings.parallelTables(), state);
    }

    @Override
    public SimpleVersionedSerializer<SnapshotSplit> getSplitSerializer() {
        return new SnapshotSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<SnapshotEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new SnapshotEnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<ChangeRow> getProducedType() {
        return TypeInformation.of(ChangeRow.class);
    }
}
