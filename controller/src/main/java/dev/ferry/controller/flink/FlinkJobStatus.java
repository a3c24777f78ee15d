package dev.ferry.controller.flink;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A Flink job as {@code GET /jobs/:id} shows it: its state and, per vertex, its status and how many records it has
 * written; plus its user accumulators.
 */
public record FlinkJobStatus(String jobId, String state, long startTimeMillis, List<Vertex> vertices,
                             Map<String, Long> accumulators) {

    public record Vertex(String name, String status, long recordsWritten) {
    }

    public Optional<Vertex> vertex(Predicate<String> name) {
        return vertices.stream().filter(v -> name.test(v.name())).findFirst();
    }

    public boolean isTerminal() {
        return state.equals("FAILED") || state.equals("CANCELED") || state.equals("FINISHED");
    }
}
