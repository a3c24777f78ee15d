package dev.ferry.job.snapshot;

import java.io.Serializable;

import dev.ferry.job.row.TableRows;

/**
 * One collection the snapshot loads: which, into which table's rows (and how documents become them), at which
 * version ({@code key} tells this load from earlier loads of the same table).
 */
public record SnapshotLoad(String key, String database, String collection, long version, TableRows rows)
    implements Serializable {

    public SnapshotLoad(String key, String database, String collection, String table, long version) {
        this(key, database, collection, version, TableRows.plain(table));
    }

    public String table() {
        return rows.table();
    }
}
