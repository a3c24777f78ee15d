package dev.ferry.job.row;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One row for a destination table: the document (or its deletion) at a version. ReplacingMergeTree keeps the row
 * with the highest {@code version} per {@code id}. {@code doc} is the document's JSON as UTF-8 bytes, as it goes
 * to ClickHouse. A public mutable POJO because Flink serializes it fastest so.
 */
public final class ChangeRow implements Serializable {

    private static final long serialVersionUID = 4L;

    public String table;
    /** What made the row. */
    public Operation operation;
    public String id;
    public byte[] doc;
    public long version;
    public boolean deleted;
    /**
     * The typed columns' values in RowBinary (see {@link TypedColumns}), or null when the table has none; the first
     * {@code keyLength} bytes are the values of the table's key columns (-1: a deletion whose key is not known yet).
     */
    public byte[] columns;
    public int keyLength;
    /** How many of the typed columns' values did not fit their types. */
    public int mismatches;
    /**
     * A {@link Operation#RANGE_DONE} row's share of its load: how many such rows the whole load's ranges make (each
     * range's end reaches every writer of a keyed table, see {@code snapshot/RangeEnds}).
     */
    public int rangeEnds;

    public ChangeRow() {
    }

    public ChangeRow(String table, Operation operation, String id, byte[] doc, long version, boolean deleted) {
        this.table = table;
        this.operation = operation;
        this.id = id;
        this.doc = doc;
        this.version = version;
        this.deleted = deleted;
    }

    public ChangeRow(String table, Operation operation, String id, String doc, long version, boolean deleted) {
        this(table, operation, id, doc.getBytes(StandardCharsets.UTF_8), version, deleted);
    }

    /** The document's JSON as text. */
    public String docText() {
        return new String(doc, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChangeRow other && version == other.version && deleted == other.deleted
            && Objects.equals(table, other.table) && Objects.equals(id, other.id) && Arrays.equals(doc, other.doc)
            && Arrays.equals(columns, other.columns);
    }

    @Override
    public int hashCode() {
        return Objects.hash(table, id, version);
    }

    @Override
    public String toString() {
        return operation + " " + table + "/" + id + "@" + version;
    }
}
