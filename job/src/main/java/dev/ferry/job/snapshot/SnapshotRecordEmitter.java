package dev.ferry.job.snapshot;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

import dev.ferry.job.row.ChangeRow;

/** Emits a document's row and moves its split past it, in one step; at a split's end, the rows saying so. */
final class SnapshotRecordEmitter implements RecordEmitter<SnapshotRecord, ChangeRow, SnapshotSplitState> {

    private final RangeEnds rangeEnds;

    SnapshotRecordEmitter(RangeEnds rangeEnds) {
        this.rangeEnds = rangeEnds;
    }

    @Override
    public void emitRecord(SnapshotRecord record, SourceOutput<ChangeRow> output, SnapshotSplitState state) {
        if (record.isEnd()) {
            rangeEnds.of(state.toSplit()).forEach(output::collect);
            return;
        }
        output.collect(record.row());
        state.emitted(record.id());
    }
}
