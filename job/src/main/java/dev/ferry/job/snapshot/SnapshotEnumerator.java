package dev.ferry.job.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.job.JobMetrics;

/**
 * Loads the collections {@code parallelTables} at a time, in the order given: a load's turn comes when an earlier
 * one is done; its collection is split into {@code _id} ranges (a {@link Partitioner}, on the coordinator's
 * I/O thread), and the ranges go to whichever reader asks next, so that all readers work on the loads under way.
 * The bookkeeping is the {@link SnapshotSplitAssigner}'s; readers report finished ranges and keep the report until
 * this enumerator acknowledges it ({@link FinishedAcknowledgements}).
 *
 * <p>Each load shows its phase ({@link JobMetrics#SNAPSHOT_PHASE_QUEUED} ...) as a gauge of the enumerator.
 */
final class SnapshotEnumerator implements SplitEnumerator<SnapshotSplit, SnapshotEnumeratorState> {

    private static final Logger log = LoggerFactory.getLogger(SnapshotEnumerator.class);

    private final SplitEnumeratorContext<SnapshotSplit> context;
    private final Partitioner partitioner;
    private final SnapshotSplitAssigner assigner;
    private final FinishedAcknowledgements acknowledgements = new FinishedAcknowledgements();
    private final Set<Integer> waitingReaders = new TreeSet<>();

    SnapshotEnumerator(SplitEnumeratorContext<SnapshotSplit> context, List<SnapshotLoad> loads,
                       Partitioner partitioner, int parallelTables,
                       SnapshotEnumeratorState state) {
        this.context = context;
        this.partitioner = partitioner;
        this.assigner = new SnapshotSplitAssigner(loads, parallelTables, state);
        registerGauges(context.metricGroup());
    }

    private void registerGauges(MetricGroup metrics) {
        for (SnapshotLoad load : assigner.loads()) {
            metrics.gauge(JobMetrics.snapshotPhase(load.table()), () -> assigner.phaseOf(load.key()));
            metrics.gauge(JobMetrics.snapshotRowsRead(load.table()), () -> assigner.rowsRead(load.key()));
        }
    }

    @Override
    public void start() {
        startLoads();
    }

    /** Splits the loads whose turn has come. */
    private void startLoads() {
        for (SnapshotLoad load : assigner.loadsToStart()) {
            log.info("snapshot of {}.{} into table {}: splitting it into _id ranges", load.database(),
                load.collection(), load.table());
            context.callAsync(() -> partitioner.split(load), (splits, error) -> {
                if (error != null) {
                    throw new FlinkRuntimeException("could not split " + load.database() + "." + load.collection()
                        + " into _id ranges: " + error.getMessage(), error);
                }
                assigner.partitioned(load.key(), splits);
                assignToWaitingReaders();
            });
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        waitingReaders.add(subtaskId);
        assignToWaitingReaders();
    }

    private void assignToWaitingReaders() {
        for (Integer reader : new ArrayList<>(waitingReaders)) {
            if (!context.registeredReaders().containsKey(reader)) {
                waitingReaders.remove(reader);
                continue;
            }
            Optional<SnapshotSplit> split = assigner.next();
            if (split.isPresent()) {
                context.assignSplit(split.get(), reader);
                waitingReaders.remove(reader);
            } else if (assigner.allDone()) {
                context.signalNoMoreSplits(reader);
                waitingReaders.remove(reader);
                acknowledgements.finishing(reader);
            }
        }
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (!(event instanceof SplitsFinished finished)) {
            return;
        }
        finished.rowsBySplit().forEach(assigner::finished);
        acknowledgements.reported(subtaskId, finished.rowsBySplit().keySet());
        startLoads();
        assignToWaitingReaders();
    }

    @Override
    public void addSplitsBack(List<SnapshotSplit> splits, int subtaskId) {
        assigner.addBack(splits);
    }

    @Override
    public void addReader(int subtaskId) {
        acknowledgements.back(subtaskId);
    }

    @Override
    public SnapshotEnumeratorState snapshotState(long checkpointId) {
        acknowledgements.checkpointed(checkpointId);
        return assigner.state();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        acknowledgements.completed(checkpointId).forEach((reader, splitIds) -> {
            if (context.registeredReaders().containsKey(reader)) {
                context.sendEventToSourceReader(reader, new SplitsFinishedAck(new ArrayList<>(splitIds)));
            }
        });
    }

    @Override
    public void close() {
        partitioner.close();
    }
}
