package dev.ferry.job.snapshot;

import java.util.List;

/** Splits a collection's load into {@code _id} ranges that readers read side by side. */
interface Partitioner extends AutoCloseable {

    /** The ranges, which together cover every {@code _id} exactly once. */
    List<SnapshotSplit> split(SnapshotLoad load);

    @Override
    void close();
}
