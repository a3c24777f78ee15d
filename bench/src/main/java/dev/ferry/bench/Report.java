package dev.ferry.bench;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The figures as a table to read and as JSON to keep. */
final class Report {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SNAPSHOT_END_TO_END = "snapshot end to end (snapshot mode)";

    private Report() {
    }

    static String text(SizeResult result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n== %,d orders, %.0f bytes of BSON each on average (loaded in %.0f s) ==%n",
            result.documents(), result.averageBsonBytes(), result.loadSeconds()));
        out.append(String.format("raw baselines: driver read %,.0f docs/s; ClickHouse insert %,.0f rows/s%n%n",
            result.readRate(), result.insertRate()));
        out.append(String.format("%-46s %14s %-9s %-20s %14s %7s  %s%n", "figure", "ferry", "", "baseline", "",
            "ratio", "goal"));
        for (Figure figure : result.figures()) {
            out.append(String.format("%-46s %,14.2f %-9s %-20s %14s %7s  %s%n", figure.name(), figure.value(),
                figure.unit(), figure.baselineName(),
                figure.hasBaseline() ? String.format("%,.0f", figure.baseline()) : "",
                figure.hasBaseline() ? String.format("%.2f", figure.ratio()) : "", figure.goal()));
        }
        out.append(String.format("%n%-16s %14s %18s %22s%n", "process", "peak RSS MiB", "CPU s (whole run)",
            "CPU s (snapshot pipe)"));
        for (Map.Entry<String, ProcessStats> process : result.processes().entrySet()) {
            ProcessStats during = result.duringSnapshot().get(process.getKey());
            out.append(String.format("%-16s %,14.0f %18.1f %22.1f%n", process.getKey(),
                process.getValue().peakRssBytes() / 1048576.0, process.getValue().cpuSeconds(),
                during == null ? 0.0 : during.cpuSeconds()));
        }
        return out.toString();
    }

    /** How the cost grows from the smallest size to each larger one: time and memory against the data. */
    static String scaling(List<SizeResult> results) {
        SizeResult smallest = results.get(0);
        StringBuilder out = new StringBuilder(String.format("%n== scaling against %,d orders ==%n",
            smallest.documents()));
        for (SizeResult result : results.subList(1, results.size())) {
            double data = (double) result.documents() / smallest.documents();
            double time = (result.documents() / result.figure(SNAPSHOT_END_TO_END).value())
                / (smallest.documents() / smallest.figure(SNAPSHOT_END_TO_END).value());
            double memory = (double) result.processes().get("controller").peakRssBytes()
                / smallest.processes().get("controller").peakRssBytes();
            out.append(String.format("%,d orders: %.1fx the data, %.2fx the snapshot time (goal <= %.0fx), "
                + "%.2fx the controller's peak RSS (goal: flat)%n", result.documents(), data, time, data, memory));
        }
        return out.toString();
    }

    static String json(List<SizeResult> results) throws JsonProcessingException {
        ArrayNode sizes = JSON.createArrayNode();
        for (SizeResult result : results) {
            ObjectNode size = sizes.addObject().put("documents", result.documents())
                .put("averageBsonBytes", result.averageBsonBytes()).put("loadSeconds", result.loadSeconds())
                .put("rawReadDocsPerSecond", result.readRate()).put("rawInsertRowsPerSecond", result.insertRate());
            ArrayNode figures = size.putArray("figures");
            for (Figure figure : result.figures()) {
                ObjectNode node = figures.addObject().put("name", figure.name()).put("value", figure.value())
                    .put("unit", figure.unit()).put("goal", figure.goal());
                if (figure.hasBaseline()) {
                    node.put("baseline", figure.baselineName()).put("baselineValue", figure.baseline())
                        .put("ratio", figure.ratio());
                }
            }
            ObjectNode processes = size.putObject("processes");
            result.processes().forEach((name, stats) -> processes.putObject(name)
                .put("peakRssBytes", stats.peakRssBytes()).put("cpuSeconds", stats.cpuSeconds())
                .put("cpuSecondsDuringSnapshot", result.duringSnapshot().get(name).cpuSeconds()));
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sizes);
    }
}
