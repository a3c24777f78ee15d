package dev.ferry.job.cdc;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Hands the single change-stream split to the first reader that registers, and takes it back when that reader
 * fails, for whichever reader registers next. Its checkpointed state is the split while it is unassigned.
 */
public final class ChangeStreamEnumerator implements SplitEnumerator<ChangeStreamSplit, List<ChangeStreamSplit>> {

    private final SplitEnumeratorContext<ChangeStreamSplit> context;
    private final List<ChangeStreamSplit> unassigned;

    public ChangeStreamEnumerator(SplitEnumeratorContext<ChangeStreamSplit> context, List<ChangeStreamSplit> unassigned) {
        this.context = context;
        this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
    }

    @Override
    public void addSplitsBack(List<ChangeStreamSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
        if (!context.registeredReaders().isEmpty()) {
            assignTo(context.registeredReaders().keySet().iterator().next());
        }
    }

    @Override
    public void addReader(int subtaskId) {
        assignTo(subtaskId);
    }

    private void assignTo(int subtaskId) {
        for (ChangeStreamSplit split : unassigned) {
            context.assignSplit(split, subtaskId);
        }
        unassigned.clear();
    }

    @Override
    public List<ChangeStreamSplit> snapshotState(long checkpointId) {
        return new ArrayList<>(unassigned);
    }

    @Override
    public void close() {
    }
}
