package dev.ferry.job.row;

import java.io.Serializable;
import java.util.Objects;

/**
 * One row for a destination table: the document (or its deletion) at a version. ReplacingMergeTree keeps the row
 * with the highest {@code version} per {@code id}. A public mutable POJO because Flink serializes it fastest so.
 */
public final class ChangeRow implements Serializable {

    private static final long serialVersionUID = 1L;

    public String table;
    /** What made the row: snapshot, insert, update, replace or delete. */
    public String operation;
    public String id;
    public String doc;
    public long version;
    public boolean deleted;

    public ChangeRow() {
    }

    public ChangeRow(String table, String operation, String id, String doc, long version, boolean deleted) {
        this.table = table;
        this.operation = operation;
        this.id = id;
        this.doc = doc;
        this.version = version;
        this.deleted = deleted;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChangeRow other && version == other.version && deleted == other.deleted
            && Objects.equals(table, other.table) && Objects.equals(id, other.id) && Objects.equals(doc, other.doc);
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
