package dev.ferry.job.keys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.Operation;
import dev.ferry.job.row.TableRows;

/**
 * What {@link FollowKeys} writes for a row of a document, given where the document's row last went: the rows
 * to write (none, the row, or a deleted row on the old key and the row) and where the document's row lies after.
 */
final class KeyMoves {

    /** The rows to write, in order, and the document's placement after them (null: unchanged). */
    record Outcome(List<ChangeRow> rows, KeyPlacement placement) {
    }

    private KeyMoves() {
    }

    static Outcome of(ChangeRow row, KeyPlacement last) {
        if (last != null && row.version < last.version) {
            // older than the row written: on its own key it would stay beside the newer one
            return new Outcome(List.of(), null);
        }
        List<ChangeRow> rows = new ArrayList<>(2);
        byte[] key;
        if (row.deleted) {
            key = last != null ? last.key : Arrays.copyOf(row.columns, row.keyLength);
            row.columns = withKey(row, key);
            row.keyLength = key.length;
        } else {
            key = Arrays.copyOf(row.columns, row.keyLength);
            if (last != null && !Arrays.equals(last.key, key)) {
                ChangeRow left = new ChangeRow(row.table, Operation.KEY_MOVED, row.id, TableRows.DELETED_DOC, row.version, true);
                left.columns = withKey(row, last.key);
                left.keyLength = last.key.length;
                rows.add(left);
            }
        }
        rows.add(row);
        return new Outcome(rows, new KeyPlacement(row.version, key));
    }

    /** The row's columns with {@code key} in place of its key columns' values. */
    private static byte[] withKey(ChangeRow row, byte[] key) {
        byte[] columns = new byte[key.length + row.columns.length - row.keyLength];
        System.arraycopy(key, 0, columns, 0, key.length);
        System.arraycopy(row.columns, row.keyLength, columns, key.length, row.columns.length - row.keyLength);
        return columns;
    }
}
