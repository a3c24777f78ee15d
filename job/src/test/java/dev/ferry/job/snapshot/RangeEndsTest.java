package dev.ferry.job.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.junit.jupiter.api.Test;

import dev.ferry.job.keys.FollowKeys;
import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.Operation;

class RangeEndsTest {

    private static final SnapshotSplit SPLIT = SnapshotSplit.range("orders@0", 2, 5, new BsonMinKey(), new BsonMaxKey());

    @Test
    void theEndOfARangeOfAPlainTableIsOneRowCountingItsLoadsRanges() {
        RangeEnds ends = new RangeEnds(Map.of("orders@0", "orders"), Set.of(), 3, 128);

        List<ChangeRow> rows = ends.of(SPLIT);

        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.operation).isEqualTo(Operation.RANGE_DONE);
            assertThat(row.table).isEqualTo("orders");
            assertThat(row.rangeEnds).isEqualTo(5);
        });
    }

    @Test
    void theEndOfARangeOfATableWhoseKeyMovesReachesEveryWriterOnce() throws Exception {
        RangeEnds ends = new RangeEnds(Map.of("orders@0", "orders"), Set.of("orders"), 3, 128);

        List<ChangeRow> rows = ends.of(SPLIT);

        assertThat(rows).hasSize(3).allSatisfy(row -> assertThat(row.rangeEnds).isEqualTo(15));
        assertThat(rows.stream().map(row -> KeyGroupRangeAssignment.assignKeyToParallelOperator(
            key(row), 128, 3)).toList()).containsExactlyInAnyOrder(0, 1, 2);
    }

    private static String key(ChangeRow row) {
        try {
            return FollowKeys.byDocument().getKey(row);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
