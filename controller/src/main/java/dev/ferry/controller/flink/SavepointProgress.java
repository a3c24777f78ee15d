package dev.ferry.controller.flink;

/** How a stop with a savepoint is coming along. */
public sealed interface SavepointProgress {

    /** Flink is still taking it. */
    record Pending() implements SavepointProgress {
    }

    /** Taken, at {@code location}; the job stops after it. */
    record Completed(String location) implements SavepointProgress {
    }

    /**
     * Flink could not take it. {@code canRetry}: the reason passes (tasks still deploying or restarting, a
     * checkpoint in flight or declined), so that another attempt can succeed; otherwise Flink cannot take a
     * savepoint of this job at all (its savepoint storage fails, say).
     */
    record Failed(String reason, boolean canRetry) implements SavepointProgress {
    }
}
