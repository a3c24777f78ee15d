package dev.ferry.job.snapshot;

import java.io.Serializable;

/**
 * One collection the snapshot loads: which, into which table's rows, at which version ({@code key} tells this
 * load from earlier loads of the same table).
 */
public record SnapshotLoad(String key, String database, String collection, String table, long version)
    implements Serializable {
}
