package dev.ferry.job.cdc;

import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import dev.ferry.common.JobSpec;
import dev.ferry.job.row.ChangeRow;

/**
 * The unbounded source of a pipe's changes: one MongoDB change stream over the deployment, filtered to the
 * replicated collections, whose position lives in Flink's checkpointed split state so that the job resumes after
 * a restart or from a savepoint without a gap.
 */
public final class ChangeStreamSource implements Source<ChangeRow, ChangeStreamSplit, List<ChangeStreamSplit>>,
    ResultTypeQueryable<ChangeRow> {

    private static final long serialVersionUID = 1L;

    private final JobSpec.Source mongo;
    private final WatchedCollections collections;
    private final int batchSize;
    private final long startAtOperationTime;

    /**
     * @param startAtOperationTime the BSON timestamp value from which a job that has no state yet reads changes
     */
    public ChangeStreamSource(JobSpec.Source mongo, WatchedCollections collections, int batchSize,
                              long startAtOperationTime) {
        this.mongo = mongo;
        this.collections = collections;
        this.batchSize = batchSize;
        this.startAtOperationTime = startAtOperationTime;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<ChangeRow, ChangeStreamSplit> createReader(SourceReaderContext context) {
        return new ChangeStreamSourceReader(() -> new ChangeStreamSplitReader(mongo, collections, batchSize),
            new ChangeEventRows(collections, mongo.postImages()), context);
    }

    @Override
    public SplitEnumerator<ChangeStreamSplit, List<ChangeStreamSplit>> createEnumerator(
        SplitEnumeratorContext<ChangeStreamSplit> context) {
        return new ChangeStreamEnumerator(context, List.of(ChangeStreamSplit.startingAt(startAtOperationTime)));
    }

    @Override
    public SplitEnumerator<ChangeStreamSplit, List<ChangeStreamSplit>> restoreEnumerator(
        SplitEnumeratorContext<ChangeStreamSplit> context, List<ChangeStreamSplit> checkpoint) {
        return new ChangeStreamEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<ChangeStreamSplit> getSplitSerializer() {
        return new ChangeStreamSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<ChangeStreamSplit>> getEnumeratorCheckpointSerializer() {
        return new EnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<ChangeRow> getProducedType() {
        return TypeInformation.of(ChangeRow.class);
    }
}
