package dev.ferry.job.cdc;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

import dev.ferry.job.row.ChangeRow;

/** Emits the row of each change and moves the split's position past it, in one step per record. */
final class ChangeStreamRecordEmitter implements RecordEmitter<ChangeStreamRecord, ChangeRow, ChangeStreamSplitState> {

    private final ChangeEventRows rows;
    private final StreamLag lag;

    ChangeStreamRecordEmitter(ChangeEventRows rows, StreamLag lag) {
        this.rows = rows;
        this.lag = lag;
    }

    @Override
    public void emitRecord(ChangeStreamRecord record, SourceOutput<ChangeRow> output, ChangeStreamSplitState state) {
        if (record.change() != null && record.change().getClusterTime() != null) {
            int index = state.nextIndexAt(record.change().getClusterTime().getValue());
            rows.rowOf(record.change(), index).ifPresent(output::collect);
        }
        state.moveTo(record.resumeToken());
        if (record.change() == null) {
            // every batch ends with its position: the lag needs no more than that
            lag.movedTo(record.resumeToken());
        }
    }
}
