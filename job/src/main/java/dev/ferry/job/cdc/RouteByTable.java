package dev.ferry.job.cdc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.common.JobGraphNames;
import dev.ferry.job.row.ChangeRow;

/**
 * Sends each change to the side output of its table and counts changes per table and kind in accumulators
 * ({@link JobGraphNames#changeCounter}), which the controller reads through Flink's REST API; a drop or rename of
 * a table's collection goes to no table and is counted ({@link JobGraphNames#sourceEventCounter}) so that the
 * controller can tell the user.
 */
public final class RouteByTable extends ProcessFunction<ChangeRow, ChangeRow> {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(RouteByTable.class);

    private final Map<String, OutputTag<ChangeRow>> outputs;
    private transient Map<String, LongCounter> counters;

    public RouteByTable(List<String> tables) {
        this.outputs = new HashMap<>();
        tables.forEach(table -> outputs.put(table, outputOf(table)));
    }

    public static OutputTag<ChangeRow> outputOf(String table) {
        return new OutputTag<>("table-" + table) {
        };
    }

    @Override
    public void open(Configuration parameters) {
        counters = new HashMap<>();
        for (String table : outputs.keySet()) {
            for (String kind : List.of("inserts", "updates", "deletes")) {
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
        OutputTag<ChangeRow> output = outputs.get(row.table);
        if (output == null) {
            return;
        }
        if (row.operation.equals(ChangeEventRows.DROPPED) || row.operation.equals(ChangeEventRows.RENAMED)) {
            log.warn("the collection of table {} was {}{}; the table gets no more of its changes", row.table,
                row.operation, row.operation.equals(ChangeEventRows.RENAMED) ? " to " + row.doc : "");
            counters.get(JobGraphNames.sourceEventCounter(row.table, row.operation)).add(1);
            return;
        }
        String kind = switch (row.operation) {
            case "insert" -> "inserts";
            case "delete" -> "deletes";
            default -> "updates";
        };
        counters.get(JobGraphNames.changeCounter(row.table, kind)).add(1);
        context.output(output, row);
    }
}
