package dev.ferry.job.snapshot;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

import dev.ferry.job.row.ChangeRow;

/** Emits a document's row and moves its split past it, in one step. */
final class SnapshotRecordEmitter implements RecordEmitter<SnapshotRecord, ChangeRow, SnapshotSplitState> {

    @Override
    public void emitRecord(SnapshotRecord record, SourceOutput<ChangeRow> output, SnapshotSplitState state) {
        output.collect(record.row());
        state.emitted(record.id());
    }
}
