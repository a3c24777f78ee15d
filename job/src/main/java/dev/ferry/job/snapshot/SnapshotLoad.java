package dev.ferry.job.snapshot;

import java.io.Serializable;

import dev.ferry.common.encoding.FieldExclusions;

/**
 * One collection the snapshot loads: which, into which table's rows, at which version ({@code key} tells this
 * load from earlier loads of the same table), and which fields its rows leave out.
 */
public record SnapshotLoad(String key, String database, String collection, String table, long version,
                           FieldExclusions excluded) implements Serializable {

    public SnapshotLoad(String key, String database, String collection, String table, long version) {
        this(key, database, collection, table, version, FieldExclusions.NONE);
    }
}
