package dev.ferry.controller.flink;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.execution.ExecutionState;

import dev.ferry.common.PipeFailure;

/**
 * A Flink job as the cluster reports it: its state and, per vertex, its state and how many records it has written;
 * plus the signs of its health.
 */
public record FlinkJob(String jobId, JobStatus state, long startTimeMillis, List<Vertex> vertices, Health health) {

    public FlinkJob {
        vertices = List.copyOf(vertices);
    }

    /** One vertex of the job graph. */
    public record Vertex(String id, String name, ExecutionState state, long recordsWritten) {
    }

    /**
     * The signs of a job's health: its newest failure (when, its root cause, the pipe failure it names if any) and
     * its newest completed checkpoint (when, where). Times are epoch millis, 0 when there is none.
     */
    public record Health(long lastFailureMillis, String rootCause, PipeFailure pipeFailure, long lastCheckpointMillis,
                         String lastCheckpointPath) {

        public static final Health UNKNOWN = new Health(0, null, null, 0, null);

        /** The job failed after its last completed checkpoint: it is restarting, or has not recovered yet. */
        public boolean failingSinceLastCheckpoint() {
            return lastFailureMillis > 0 && lastFailureMillis > lastCheckpointMillis;
        }

        /** The pipe failure of the newest failure, while the job has not recovered from it. */
        public Optional<PipeFailure> currentPipeFailure() {
            return failingSinceLastCheckpoint() ? Optional.ofNullable(pipeFailure) : Optional.empty();
        }
    }

    public Optional<Vertex> vertex(Predicate<String> name) {
        return vertices.stream().filter(v -> name.test(v.name())).findFirst();
    }

    /** FINISHED, CANCELED or FAILED: the job will not run again. */
    public boolean hasEnded() {
        return state.isGloballyTerminalState();
    }
}
