package dev.ferry.job.sync;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;

/**
 * Sets on each sync record the checkpoint that commits it, which Flink's sink framework carries beside the record
 * (a writer is not told it), so that the sync log can key and group the record by it.
 */
public final class StampCheckpoints implements MapFunction<CommittableMessage<SyncRecord>, CommittableMessage<SyncRecord>> {

    private static final long serialVersionUID = 1L;

    @Override
    public CommittableMessage<SyncRecord> map(CommittableMessage<SyncRecord> message) {
        if (message instanceof CommittableWithLineage<SyncRecord> lineage) {
            return lineage.map(record -> record.at(lineage.getCheckpointIdOrEOI()));
        }
        return message;
    }
}
