package dev.ferry.controller.flink;

import java.util.Optional;

/**
 * The checkpoints a job's checkpoint storage retains: they outlive the job, and the cluster's memory of it, so a
 * job the cluster lost, or one that ended before its savepoint, goes on from the newest of them.
 */
public interface RetainedCheckpoints {

    /** The newest complete checkpoint retained for the job; a storage that cannot be read is a {@link FlinkException}. */
    Optional<String> latest(String jobId);
}
