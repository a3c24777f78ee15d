package dev.ferry.job.cdc;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;

import dev.ferry.job.JobMetrics;
import dev.ferry.job.row.ChangeRow;

/** The change-stream reader: one fetcher thread reading the stream, the emitter tracking the position. */
final class ChangeStreamSourceReader
    extends SingleThreadMultiplexSourceReaderBase<ChangeStreamRecord, ChangeRow, ChangeStreamSplit, ChangeStreamSplitState> {

    ChangeStreamSourceReader(Supplier<SplitReader<ChangeStreamRecord, ChangeStreamSplit>> splitReader,
                             ChangeEventRows rows, SourceReaderContext context) {
        this(splitReader, rows, new StreamLag(), context);
    }

    private ChangeStreamSourceReader(Supplier<SplitReader<ChangeStreamRecord, ChangeStreamSplit>> splitReader,
                                     ChangeEventRows rows, StreamLag lag, SourceReaderContext context) {
        super(splitReader, new ChangeStreamRecordEmitter(rows, lag), new Configuration(), context);
        context.metricGroup().gauge(JobMetrics.CHANGE_STREAM_LAG,
            () -> lag.seconds(System.currentTimeMillis()));
    }

    @Override
    public void start() {
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, ChangeStreamSplitState> finishedSplitIds) {
        throw new IllegalStateException("a change stream never finishes");
    }

    @Override
    protected ChangeStreamSplitState initializedState(ChangeStreamSplit split) {
        return new ChangeStreamSplitState(split);
    }

    @Override
    protected ChangeStreamSplit toSplitType(String splitId, ChangeStreamSplitState state) {
        return state.toSplit();
    }
}
