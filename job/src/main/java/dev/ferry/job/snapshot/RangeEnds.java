package dev.ferry.job.snapshot;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

import dev.ferry.job.keys.FollowKeys;
import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.Operation;
import dev.ferry.job.row.TableRows;

/**
 * The rows that tell the sink a snapshot range was read to its end ({@link Operation#RANGE_DONE}), emitted after the
 * range's last document: the sync log counts them, and a load whose ranges have all ended in committed syncs is
 * done, with every one of its rows counted. A reader's rows reach one writer in order, so one such row follows them.
 * The rows of a table whose key columns move are spread over the writers by document ({@link FollowKeys}): the end
 * of a range then goes to each of them, on the channel its documents took, so that each writer's count of the
 * range comes after its rows of it; the load counts each range once per writer.
 */
final class RangeEnds implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, String> tableByLoad;
    private final Set<String> keyedTables;
    private final int writers;
    private final int maxParallelism;

    /**
     * @param tableByLoad    each load's table
     * @param keyedTables    the tables whose rows go through {@link FollowKeys}
     * @param writers        how many writers those rows are spread over, and the most they can be
     * @param maxParallelism of the keyed operator (which decides which writer a document's rows go to)
     */
    RangeEnds(Map<String, String> tableByLoad, Set<String> keyedTables, int writers, int maxParallelism) {
        this.tableByLoad = Map.copyOf(tableByLoad);
        this.keyedTables = Set.copyOf(keyedTables);
        this.writers = writers;
        this.maxParallelism = maxParallelism;
    }

    /** The rows saying {@code split} was read to its end. */
    List<ChangeRow> of(SnapshotSplit split) {
        String table = tableByLoad.get(split.loadKey());
        if (!keyedTables.contains(table)) {
            return List.of(row(table, split.splitId(), split.ranges()));
        }
        List<ChangeRow> rows = new ArrayList<>(writers);
        boolean[] reached = new boolean[writers];
        for (long attempt = 0; rows.size() < writers; attempt++) {
            ChangeRow row = row(table, split.splitId() + "#end" + attempt, split.ranges() * writers);
            int writer = KeyGroupRangeAssignment.assignKeyToParallelOperator(key(row), maxParallelism, writers);
            if (!reached[writer]) {
                reached[writer] = true;
                rows.add(row);
            }
        }
        return rows;
    }

    private static ChangeRow row(String table, String id, int rangeEnds) {
        ChangeRow row = new ChangeRow(table, Operation.RANGE_DONE, id, TableRows.DELETED_DOC, 0, false);
        row.rangeEnds = rangeEnds;
        return row;
    }

    private static String key(ChangeRow row) {
        try {
            return FollowKeys.byDocument().getKey(row);
        } catch (Exception e) {
            throw new IllegalStateException("the document key of a range's end", e);
        }
    }
}
