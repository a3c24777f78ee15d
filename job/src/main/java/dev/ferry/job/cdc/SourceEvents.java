package dev.ferry.job.cdc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.common.JobGraphNames;
import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.Operation;

/**
 * Counts the drops and renames of the watched collections in accumulators ({@link JobGraphNames#sourceEventCounter}),
 * which the controller reads through Flink's REST API to tell the user; such an event reaches no table, and goes on
 * as a {@link Operation#POSITION} row so that the sync log records that the stream has passed it. Other rows pass.
 */
public final class SourceEvents extends ProcessFunction<ChangeRow, ChangeRow> {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(SourceEvents.class);

    private final List<String> tables;
    private transient Map<String, LongCounter> counters;

    public SourceEvents(List<String> tables) {
        this.tables = List.copyOf(tables);
    }

    @Override
    public void open(Configuration parameters) {
        counters = new HashMap<>();
        for (String table : tables) {
            register(JobGraphNames.sourceEventCounter(table, JobGraphNames.SOURCE_DROPPED));
            register(JobGraphNames.sourceEventCounter(table, JobGraphNames.SOURCE_RENAMED));
        }
    }

    private void register(String name) {
        LongCounter counter = new LongCounter();
        getRuntimeContext().addAccumulator(name, counter);
        counters.put(name, counter);
    }

    @Override
    public void processElement(ChangeRow row, Context context, Collector<ChangeRow> out) {
        if (row.operation == Operation.DROPPED || row.operation == Operation.RENAMED) {
            boolean renamed = row.operation == Operation.RENAMED;
            log.warn("the collection of table {} was {}{}; the table gets no more of its changes", row.table,
                renamed ? "renamed" : "dropped", renamed ? " to " + row.docText() : "");
            LongCounter counter = counters.get(JobGraphNames.sourceEventCounter(row.table,
                renamed ? JobGraphNames.SOURCE_RENAMED : JobGraphNames.SOURCE_DROPPED));
            if (counter != null) {
                counter.add(1);
            }
            row.operation = Operation.POSITION;
        }
        out.collect(row);
    }
}
