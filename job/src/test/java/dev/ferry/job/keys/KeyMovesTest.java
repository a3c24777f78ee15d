package dev.ferry.job.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.Operation;

class KeyMovesTest {

    /** A row whose columns are its key byte then one other byte. */
    private static ChangeRow row(long version, int key, int other) {
        ChangeRow row = new ChangeRow("orders", Operation.UPDATE, "1", "{}", version, false);
        row.columns = new byte[] {(byte) key, (byte) other};
        row.keyLength = 1;
        return row;
    }

    private static ChangeRow deletion(long version) {
        ChangeRow row = new ChangeRow("orders", Operation.DELETE, "1", "{}", version, true);
        row.columns = new byte[] {0, 0};
        row.keyLength = 1;
        return row;
    }

    @Test
    void theFirstRowOfADocumentIsWrittenAndRemembered() {
        KeyMoves.Outcome outcome = KeyMoves.of(row(5, 1, 9), null);

        assertThat(outcome.rows()).hasSize(1);
        assertThat(outcome.placement().key).containsExactly(1);
        assertThat(outcome.placement().version).isEqualTo(5);
    }

    @Test
    void aRowOnTheSameKeyIsWrittenAlone() {
        assertThat(KeyMoves.of(row(6, 1, 8), new KeyPlacement(5, new byte[] {1})).rows()).hasSize(1);
    }

    @Test
    void aRowOnAnotherKeyLeavesADeletedRowOnTheOldKeyAtItsVersion() {
        List<ChangeRow> rows = KeyMoves.of(row(6, 2, 8), new KeyPlacement(5, new byte[] {1})).rows();

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).deleted).isTrue();
        assertThat(rows.get(0).version).isEqualTo(6);
        assertThat(rows.get(0).columns).containsExactly(1, 8);
        assertThat(rows.get(1).deleted).isFalse();
        assertThat(rows.get(1).columns).containsExactly(2, 8);
    }

    @Test
    void aDeletionGoesToTheDocumentsLastKey() {
        KeyMoves.Outcome outcome = KeyMoves.of(deletion(7), new KeyPlacement(5, new byte[] {3}));

        assertThat(outcome.rows()).singleElement().satisfies(row -> {
            assertThat(row.deleted).isTrue();
            assertThat(row.columns).containsExactly(3, 0);
        });
        assertThat(outcome.placement().key).containsExactly(3);
    }

    @Test
    void aRowOlderThanTheOneWrittenIsDroppedSinceItWouldStayOnItsOwnKey() {
        KeyMoves.Outcome outcome = KeyMoves.of(row(4, 2, 8), new KeyPlacement(5, new byte[] {1}));

        assertThat(outcome.rows()).isEmpty();
        assertThat(outcome.placement()).isNull();
    }
}
