package dev.ferry.job.cdc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.common.JobGraphNames;
import dev.ferry.job.row.ChangeRow;

/**
 * Counts each change per table and kind in accumulators ({@link JobGraphNames#changeCounter}), which the controller
 * reads through Flink's REST API, and passes it on to the sink; a drop or rename of a table's collection goes to no
 * table and is counted ({@link JobGraphNames#sourceEventCounter}) so that the controller can tell the user.
 */
public final class CountChanges extends ProcessFunction<ChangeRow, ChangeRow> {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(CountChanges.class);

    private final Set<String> tables;
    private transient Map<String, LongCounter> counters;

    public CountChanges(List<String> tables) {
        this.tables = Set.copyOf(tables);
    }

    @Override
    public void open(Configuration parameters) {
        counters = new HashMap<>();
        for (String table : tables) {
            for (String kind : List.of("inserts", "updates", "replaces", "deletes")) {
                register(JobGraphNames.changeCounter(table, kind));
            }
            register(JobGraphNames.sourceEventCounter(table, ChangeEventRows.DROPPED));
            register(JobGraphNames.sourceEventCounter(table, ChangeEventRows.RENAMED));
        }
    }

    private void register(String name) {
        LongCounter counter = new LongCounter();
        getRuntimeContext().addAccumulator(name, counter);
        counters.put(name, counter);
    }

    @Override
    public void processElement(ChangeRow row, Context context, Collector<ChangeRow> out) {
        if (!tables.contains(row.table)) {
            return;
        }
        if (row.operation.equals(ChangeEventRows.DROPPED) || row.operation.equals(ChangeEventRows.RENAMED)) {
            log.warn("the collection of table {} was {}{}; the table gets no more of its changes", row.table,
                row.operation, row.operation.equals(ChangeEventRows.RENAMED) ? " to " + row.docText() : "");
            counters.get(JobGraphNames.sourceEventCounter(row.table, row.operation)).add(1);
            return;
        }
        String kind = switch (row.operation) {
            case "insert" -> "inserts";
            case "delete" -> "deletes";
            case "replace" -> "replaces";
            default -> "updates";
        };
        counters.get(JobGraphNames.changeCounter(row.table, kind)).add(1);
        out.collect(row);
    }
}
