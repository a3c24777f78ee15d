package dev.ferry.bench;

import java.util.List;
import java.util.Map;

/**
 * The figures of one size: the collection, the raw baselines, ferry's figures, and per process its peak memory
 * and CPU time (over the whole run, and during the snapshot-only pipe's load).
 */
record SizeResult(long documents, double averageBsonBytes, double loadSeconds, double readRate, double insertRate,
                  List<Figure> figures, Map<String, ProcessStats> processes,
                  Map<String, ProcessStats> duringSnapshot) {

    Figure figure(String name) {
        return figures.stream().filter(f -> f.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no figure " + name));
    }
}
