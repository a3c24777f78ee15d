package dev.ferry.job.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.Operation;

class SyncTallyTest {

    private final SyncTally tally = new SyncTally(Map.of("orders", 7L, "items", 9L));

    private static ChangeRow row(String table, Operation operation, String id, long version) {
        return new ChangeRow(table, operation, id, "{}", version, operation == Operation.DELETE);
    }

    @Test
    void rowsAreCountedByTableAndOperationWithTheirBytesAndTheirTablesLoad() {
        tally.passed(row("orders", Operation.SNAPSHOT, "1", 5), 10);
        tally.passed(row("orders", Operation.INSERT, "2", 100), 11);
        tally.passed(row("orders", Operation.UPDATE, "2", 101), 12);
        tally.passed(row("orders", Operation.REPLACE, "2", 102), 13);
        tally.passed(row("orders", Operation.DELETE, "2", 103), 14);
        tally.passed(row("items", Operation.SNAPSHOT, "1", 5), 20);

        List<TableSync> tables = tally.drain();

        assertThat(tables).containsExactly(
            new TableSync("orders", 7, 1, 1, 1, 1, 1, 60, 0, "", 0, 100, 103, 0, 0),
            new TableSync("items", 9, 1, 0, 0, 0, 0, 20, 0, "", 0, 0, 0, 0, 0));
    }

    @Test
    void aDrainedTallyStartsAfresh() {
        tally.passed(row("orders", Operation.INSERT, "1", 100), 10);
        tally.drain();

        assertThat(tally.isEmpty()).isTrue();
        assertThat(tally.drain()).isEmpty();
    }

    @Test
    void rowsThatAreNoUsersOperationMoveOnlyTheVersionsAndBytes() {
        tally.passed(row("orders", Operation.KEY_MOVED, "1", 200), 9);
        tally.passed(row("orders", Operation.POSITION, "1", 300), 0);

        TableSync orders = tally.drain().get(0);

        assertThat(List.of(orders.snapshot(), orders.inserts(), orders.updates(), orders.replaces(), orders.deletes()))
            .containsOnly(0L);
        assertThat(orders.bytes()).isEqualTo(9);
        assertThat(orders.firstVersion()).isEqualTo(200);
        assertThat(orders.lastVersion()).isEqualTo(300);
    }

    @Test
    void theEndOfARangeCountsTowardItsLoadsRanges() {
        ChangeRow end = row("orders", Operation.RANGE_DONE, "orders@0#1", 0);
        end.rangeEnds = 4;
        tally.passed(end, 0);
        tally.passed(end, 0);

        TableSync orders = tally.drain().get(0);

        assertThat(orders.rangesDone()).isEqualTo(2);
        assertThat(orders.ranges()).isEqualTo(4);
        assertThat(orders.firstVersion()).isZero();
    }

    @Test
    void mismatchesAreSummedWithTheFirstDocumentThatHadOne() {
        ChangeRow first = row("orders", Operation.INSERT, "a", 100);
        first.mismatches = 2;
        ChangeRow second = row("orders", Operation.UPDATE, "b", 101);
        second.mismatches = 1;
        tally.passed(row("orders", Operation.INSERT, "c", 99), 1);
        tally.passed(first, 1);
        tally.passed(second, 1);

        TableSync orders = tally.drain().get(0);

        assertThat(orders.mismatches()).isEqualTo(3);
        assertThat(orders.mismatchExample()).isEqualTo("a");
    }

    @Test
    void insertTimesAddUpPerTable() {
        tally.inserted("orders", 15);
        tally.inserted("orders", 5);

        assertThat(tally.drain().get(0).writeMillis()).isEqualTo(20);
    }
}
