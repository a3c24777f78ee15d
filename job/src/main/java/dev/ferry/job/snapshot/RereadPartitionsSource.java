package dev.ferry.job.snapshot;

import java.io.IOException;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.mongodb.source.MongoSource;
import org.apache.flink.connector.mongodb.source.enumerator.MongoSourceEnumState;
import org.apache.flink.connector.mongodb.source.split.MongoScanSourceSplit;
import org.apache.flink.connector.mongodb.source.split.MongoSourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * flink-connector-mongodb's snapshot source, except that a partition restored half-read is read again from its
 * start. The connector resumes one by skipping as many documents as it had read, which skips unread documents
 * when some before them were deleted meanwhile (during a pause, or between a checkpoint and a failure); reading
 * the partition again only writes rows that ReplacingMergeTree already has, and changes since the snapshot began
 * still win over them by version.
 */
public final class RereadPartitionsSource<T>
    implements Source<T, MongoSourceSplit, MongoSourceEnumState>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final MongoSource<T> source;

    public RereadPartitionsSource(MongoSource<T> source) {
        this.source = source;
    }

    @Override
    public Boundedness getBoundedness() {
        return source.getBoundedness();
    }

    @Override
    public SourceReader<T, MongoSourceSplit> createReader(SourceReaderContext context) throws Exception {
        return source.createReader(context);
    }

    @Override
    public SplitEnumerator<MongoSourceSplit, MongoSourceEnumState> createEnumerator(
        SplitEnumeratorContext<MongoSourceSplit> context) throws Exception {
        return source.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<MongoSourceSplit, MongoSourceEnumState> restoreEnumerator(
        SplitEnumeratorContext<MongoSourceSplit> context, MongoSourceEnumState state) throws Exception {
        return source.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<MongoSourceSplit> getSplitSerializer() {
        return new FromTheStart(source.getSplitSerializer());
    }

    @Override
    public SimpleVersionedSerializer<MongoSourceEnumState> getEnumeratorCheckpointSerializer() {
        return source.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return source.getProducedType();
    }

    /** The connector's split format, read back with every partition's read offset at zero. */
    static final class FromTheStart implements SimpleVersionedSerializer<MongoSourceSplit> {

        private final SimpleVersionedSerializer<MongoSourceSplit> serializer;

        FromTheStart(SimpleVersionedSerializer<MongoSourceSplit> serializer) {
            this.serializer = serializer;
        }

        @Override
        public int getVersion() {
            return serializer.getVersion();
        }

        @Override
        public byte[] serialize(MongoSourceSplit split) throws IOException {
            return serializer.serialize(split);
        }

        @Override
        public MongoSourceSplit deserialize(int version, byte[] serialized) throws IOException {
            MongoSourceSplit split = serializer.deserialize(version, serialized);
            if (split instanceof MongoScanSourceSplit scan && scan.getOffset() > 0) {
                return new MongoScanSourceSplit(scan.splitId(), scan.getDatabase(), scan.getCollection(),
                    scan.getMin(), scan.getMax(), scan.getHint(), 0);
            }
            return split;
        }
    }
}
