package dev.ferry.job.cdc;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.util.ExceptionUtils;

import dev.ferry.common.PipeFailure;
import dev.ferry.common.PipeFailureException;
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

    /**
     * A {@link PipeFailure} met while reading or emitting stops the job for good: Flink is told not to restart it
     * (restarting cannot help), and the controller reads the failure's own message from the job's failure.
     */
    @Override
    public InputStatus pollNext(ReaderOutput<ChangeRow> output) throws Exception {
        try {
            return super.pollNext(output);
        } catch (Exception e) {
            if (ExceptionUtils.findThrowable(e, PipeFailureException.class).isPresent()) {
                throw new SuppressRestartsException(e);
            }
            throw e;
        }
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
