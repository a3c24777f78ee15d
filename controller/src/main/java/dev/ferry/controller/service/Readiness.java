package dev.ferry.controller.service;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.ferry.controller.catalog.PipeCatalog;
import dev.ferry.controller.flink.FlinkService;

/**
 * Whether the controller can do its work, for a Kubernetes readiness probe: its catalog answers and the Flink
 * cluster it drives is reachable (the embedded cluster, which starts with the first pipe, counts as reachable
 * before that).
 */
public final class Readiness {

    /** Each check's result ("ok" or what is wrong) and whether all passed. */
    public record Report(boolean ready, Map<String, String> checks) {
    }

    private final PipeCatalog catalog;
    private final FlinkService flink;

    public Readiness(PipeCatalog catalog, FlinkService flink) {
        this.catalog = catalog;
        this.flink = flink;
    }

    public Report check() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("catalog", catalog.isOpen() ? "ok" : "the pipe catalog does not answer");
        checks.put("flink", flink.reachable() ? "ok" : "the Flink cluster's REST API does not answer");
        return new Report(checks.values().stream().allMatch("ok"::equals), checks);
    }
}
