package dev.ferry.job.keys;

import java.util.Set;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.Operation;

/**
 * One live row per document when the table's sorting or partition key holds typed columns. ReplacingMergeTree
 * collapses rows only with the same sorting key in the same partition, so a document whose key values change would
 * leave its old row alive under {@code FINAL}. Per document (keyed by table and {@code _id}) this keeps where its
 * row last went, in checkpointed state; when a row goes elsewhere, a deleted row with the old key values goes there
 * too, at the new row's version, so that it replaces the old row where it lies. A deletion, which carries no
 * document, goes to the document's last key. A row older than the one last written is dropped: written, it would
 * sit on its own key beside the newer one (the snapshot and the change stream reach this operator in any order).
 * Rows of tables without such a key pass, and so do the rows that are no document's (a range's end, a position).
 */
public final class FollowKeys extends KeyedProcessFunction<String, ChangeRow, ChangeRow> {

    private static final long serialVersionUID = 1L;

    private final Set<String> tables;
    private transient ValueState<KeyPlacement> placement;

    /** {@code tables}: the tables whose keys hold typed columns. */
    public FollowKeys(Set<String> tables) {
        this.tables = Set.copyOf(tables);
    }

    /** Rows of one document go to one subtask. */
    public static KeySelector<ChangeRow, String> byDocument() {
        return row -> row.table + "\n" + row.id;
    }

    @Override
    public void open(Configuration parameters) {
        placement = getRuntimeContext().getState(new ValueStateDescriptor<>("placement", KeyPlacement.class));
    }

    @Override
    public void processElement(ChangeRow row, Context context, Collector<ChangeRow> out) throws Exception {
        if (!tables.contains(row.table) || row.operation == Operation.RANGE_DONE
            || row.operation == Operation.POSITION) {
            out.collect(row);
            return;
        }
        KeyMoves.Outcome outcome = KeyMoves.of(row, placement.value());
        outcome.rows().forEach(out::collect);
        if (outcome.placement() != null) {
            placement.update(outcome.placement());
        }
    }
}
