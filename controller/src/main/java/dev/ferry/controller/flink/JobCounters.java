package dev.ferry.controller.flink;

import java.util.Map;
import java.util.Optional;

/** A job's accumulators by name as Flink reports them: counts, and texts such as an example document id. */
public record JobCounters(Map<String, String> values) {

    public static final JobCounters NONE = new JobCounters(Map.of());

    public JobCounters {
        values = Map.copyOf(values);
    }

    /** The count named {@code name}; 0 when the job has none (yet). */
    public long count(String name) {
        try {
            return Long.parseLong(values.getOrDefault(name, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The text named {@code name}, when the job has one. */
    public Optional<String> text(String name) {
        return Optional.ofNullable(values.get(name)).filter(value -> !value.equals("null"));
    }
}
