package dev.ferry.job.snapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;

import dev.ferry.job.JobMetrics;
import dev.ferry.job.row.ChangeRow;

/**
 * A snapshot reader: asks the enumerator for a range, reads it ({@link SnapshotSplitReader}), reports it finished
 * (with how many documents it held) and asks for the next. A finished range stays in the reader's checkpointed
 * state, marked finished, until the enumerator acknowledges it ({@link SplitsFinishedAck}); a reader restored with
 * such marks reports them again. Per table, a gauge shows how many documents of its ranges under way were read.
 */
final class SnapshotSourceReader
    extends SingleThreadMultiplexSourceReaderBase<SnapshotRecord, ChangeRow, SnapshotSplit, SnapshotSplitState> {

    private final Map<String, SnapshotSplit> finishedUnacknowledged = new LinkedHashMap<>();
    private final Map<String, SnapshotSplitState> underWay = new ConcurrentHashMap<>();

    SnapshotSourceReader(Supplier<SplitReader<SnapshotRecord, SnapshotSplit>> splitReader,
                         Map<String, String> tableByLoad, RangeEnds rangeEnds, SourceReaderContext context) {
        super(splitReader, new SnapshotRecordEmitter(rangeEnds), new Configuration(), context);
        tableByLoad.forEach((load, table) -> context.metricGroup().gauge(
            JobMetrics.snapshotRowsUnderWay(table), () -> rowsUnderWay(load)));
    }

    private long rowsUnderWay(String load) {
        return underWay.values().stream().filter(state -> state.loadKey().equals(load))
            .mapToLong(SnapshotSplitState::rows).sum();
    }

    @Override
    public void start() {
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    public void addSplits(List<SnapshotSplit> splits) {
        List<SnapshotSplit> ranges = new ArrayList<>();
        Map<String, Long> reported = new HashMap<>();
        for (SnapshotSplit split : splits) {
            if (split.finished()) {
                finishedUnacknowledged.put(split.splitId(), split);
                reported.put(split.splitId(), split.rows());
            } else {
                ranges.add(split);
            }
        }
        if (!reported.isEmpty()) {
            context.sendSourceEventToCoordinator(new SplitsFinished(reported));
        }
        if (!ranges.isEmpty()) {
            super.addSplits(ranges);
        }
    }

    @Override
    protected void onSplitFinished(Map<String, SnapshotSplitState> finished) {
        Map<String, Long> rows = new HashMap<>();
        finished.forEach((id, state) -> {
            finishedUnacknowledged.put(id, state.toSplit().asFinished());
            rows.put(id, state.rows());
            underWay.remove(id);
        });
        context.sendSourceEventToCoordinator(new SplitsFinished(rows));
        context.sendSplitRequest();
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (event instanceof SplitsFinishedAck ack) {
            ack.splitIds().forEach(finishedUnacknowledged::remove);
        } else {
            super.handleSourceEvents(event);
        }
    }

    @Override
    public List<SnapshotSplit> snapshotState(long checkpointId) {
        List<SnapshotSplit> state = new ArrayList<>(super.snapshotState(checkpointId));
        state.addAll(finishedUnacknowledged.values());
        return state;
    }

    @Override
    protected SnapshotSplitState initializedState(SnapshotSplit split) {
        SnapshotSplitState state = new SnapshotSplitState(split);
        underWay.put(split.splitId(), state);
        return state;
    }

    @Override
    protected SnapshotSplit toSplitType(String splitId, SnapshotSplitState state) {
        return state.toSplit();
    }
}
