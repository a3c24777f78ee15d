package dev.ferry.job.cdc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import dev.ferry.job.JobGraphNames;
import dev.ferry.job.row.ChangeRow;

/**
 * Sends each change to the side output of its table and counts changes per table and kind in accumulators
 * ({@link JobGraphNames#changeCounter}), which the controller reads through Flink's REST API.
 */
public final class RouteByTable extends ProcessFunction<ChangeRow, ChangeRow> {

    private static final long serialVersionUID = 1L;

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
                LongCounter counter = new LongCounter();
                getRuntimeContext().addAccumulator(JobGraphNames.changeCounter(table, kind), counter);
                counters.put(JobGraphNames.changeCounter(table, kind), counter);
            }
        }
    }

    @Override
    public void processElement(ChangeRow row, Context context, Collector<ChangeRow> out) {
        OutputTag<ChangeRow> output = outputs.get(row.table);
        if (output == null) {
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
