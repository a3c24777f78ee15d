package dev.ferry.controller.flink;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A Flink job as {@code GET /jobs/:id} shows it: its state and, per vertex, its status and how many records it has
 * written; plus the signs of its health.
 */
public record FlinkJobStatus(String jobId, String state, long startTimeMillis, List<Vertex> vertices,
                             Health health) {

    /**
     * The signs of a job's health Flink's REST API gives: its newest exception (when, its root cause, its whole
     * stack trace) and its newest completed checkpoint (epoch millis, 0 when there is none).
     */
    public record Health(long lastExceptionMillis, String lastException, String lastExceptionTrace,
                         long lastCheckpointMillis) {
        public static final Health UNKNOWN = new Health(0, null, "", 0);

        /** The first line of the newest failure's stack trace that mentions {@code text}, shortened. */
        public String lineWith(String text) {
            String line = lastExceptionTrace == null ? "" : lastExceptionTrace.lines().filter(l -> l.contains(text))
                .findFirst().orElse("").trim();
            return line.length() <= 240 ? line : line.substring(0, 240) + "...";
        }

        /** Whether the newest failure's whole stack trace mentions {@code text} anywhere in its chain of causes. */
        public boolean failedWith(String text) {
            return failingSinceLastCheckpoint() && lastExceptionTrace != null && lastExceptionTrace.contains(text);
        }

        /** The job failed after its last completed checkpoint: it is restarting, or has not recovered yet. */
        public boolean failingSinceLastCheckpoint() {
            return lastExceptionMillis > 0 && lastExceptionMillis > lastCheckpointMillis;
        }
    }

    public record Vertex(String id, String name, String status, long recordsWritten) {
    }

    public Optional<Vertex> vertex(Predicate<String> name) {
        return vertices.stream().filter(v -> name.test(v.name())).findFirst();
    }

    public boolean isTerminal() {
        return state.equals("FAILED") || state.equals("CANCELED") || state.equals("FINISHED");
    }
}
