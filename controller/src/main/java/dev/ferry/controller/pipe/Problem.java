package dev.ferry.controller.pipe;

/**
 * What is wrong with a pipe that is not healthy, as {@code GET /v1/pipes/{id}/errors} names it: why it is Degraded
 * or Failed ({@link Lifecycle}), or that a step of the reconciler failed and waits to be tried again.
 */
public enum Problem {
    /** the job failed since its last checkpoint and Flink is restarting it (an outage, say) */
    JOB_RESTARTING("job_restarting"),
    /** a mapped collection was dropped or renamed */
    SOURCE_COLLECTION_GONE("source_collection_gone"),
    /** no checkpoint completed for too long */
    CHECKPOINTS_STALLED("checkpoints_stalled"),
    /** ClickHouse is further behind MongoDB than the pipe's lag threshold */
    LAGGING("lagging"),
    /** the pipe cannot go on until it is resynced */
    FAILED("failed"),
    /** a step of the reconciler failed for a reason that can heal, and is tried again */
    RETRYING("retrying");

    private final String code;

    Problem(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The problem of this code, or null for one this ferry does not know. */
    public static Problem ofCode(String code) {
        for (Problem problem : values()) {
            if (problem.code.equals(code)) {
                return problem;
            }
        }
        return null;
    }
}
