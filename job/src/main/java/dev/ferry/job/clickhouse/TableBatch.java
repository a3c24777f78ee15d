package dev.ferry.job.clickhouse;

import dev.ferry.common.encoding.ByteBuilder;
import dev.ferry.job.row.ChangeRow;

/** The rows of one destination table waiting to be inserted, already encoded. */
final class TableBatch {

    private static final int INITIAL_BYTES = 64 * 1024;

    private final String table;
    private final InsertTarget destination;
    private final long keptBytes;
    private ByteBuilder rows = new ByteBuilder(INITIAL_BYTES);
    private int count;

    /**
     * @param table       the pipe's name of the table
     * @param destination the table and its columns
     * @param keptBytes   how much of its memory a batch keeps when emptied, so that a table with a steady flow
     *                    does not allocate its buffer again for every batch while an idle one holds little
     */
    TableBatch(String table, InsertTarget destination, long keptBytes) {
        this.table = table;
        this.destination = destination;
        this.keptBytes = keptBytes;
    }

    String table() {
        return table;
    }

    InsertTarget destination() {
        return destination;
    }

    /** Adds a row and answers how many bytes the batch grew by. */
    int add(ChangeRow row) {
        int before = rows.size();
        RowBinaryRows.append(row, rows);
        count++;
        return rows.size() - before;
    }

    int count() {
        return count;
    }

    long bytes() {
        return rows.size();
    }

    boolean isEmpty() {
        return count == 0;
    }

    /**
     * Hands over the encoded rows and starts empty again, in {@code next} (an emptied buffer) or a new buffer; the
     * batch keeps at most {@code keptBytes} of a buffer that grew for one large batch.
     */
    ByteBuilder takeRows(ByteBuilder next) {
        ByteBuilder taken = rows;
        rows = next != null ? next : new ByteBuilder(INITIAL_BYTES);
        rows.shrinkTo((int) Math.min(Integer.MAX_VALUE, keptBytes));
        count = 0;
        return taken;
    }
}
