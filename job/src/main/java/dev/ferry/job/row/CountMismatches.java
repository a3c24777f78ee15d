package dev.ferry.job.row;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import dev.ferry.common.JobGraphNames;

/**
 * Counts, per table, the typed-column values that did not fit their types ({@link JobGraphNames#mismatchCounter})
 * and keeps the {@code _id} of one such document ({@link JobGraphNames#mismatchExample}), in accumulators the
 * controller reads through Flink's REST API; passes every row on.
 */
public final class CountMismatches extends ProcessFunction<ChangeRow, ChangeRow> {

    private static final long serialVersionUID = 1L;

    private final List<String> tables;
    private transient Map<String, LongCounter> counters;
    private transient Map<String, FirstText> examples;

    /** {@code tables}: the tables with typed columns. */
    public CountMismatches(List<String> tables) {
        this.tables = List.copyOf(tables);
    }

    @Override
    public void open(Configuration parameters) {
        counters = new HashMap<>();
        examples = new HashMap<>();
        for (String table : tables) {
            LongCounter counter = new LongCounter();
            getRuntimeContext().addAccumulator(JobGraphNames.mismatchCounter(table), counter);
            counters.put(table, counter);
            FirstText example = new FirstText();
            getRuntimeContext().addAccumulator(JobGraphNames.mismatchExample(table), example);
            examples.put(table, example);
        }
    }

    @Override
    public void processElement(ChangeRow row, Context context, Collector<ChangeRow> out) {
        if (row.mismatches > 0 && counters.containsKey(row.table)) {
            counters.get(row.table).add(row.mismatches);
            examples.get(row.table).add(row.id);
        }
        out.collect(row);
    }
}
