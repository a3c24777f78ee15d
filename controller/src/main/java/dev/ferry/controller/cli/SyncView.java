package dev.ferry.controller.cli;

import java.io.PrintStream;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code ferry pipes syncs}: a line per table of each sync, newest sync first. */
final class SyncView {

    private static final String LINE = "%-24s  %-12s  %8s  %12s  %-24s  %9s  %9s  %9s  %9s  %9s  %10s%n";

    private SyncView() {
    }

    static void print(JsonNode syncs, PrintStream out) {
        out.printf(LINE, "COMMITTED AT", "SYNC", "MS", "BYTES", "TABLE", "SNAPSHOT", "INSERTS", "UPDATES", "REPLACES",
            "DELETES", "MISMATCHES");
        for (JsonNode sync : syncs) {
            String id = sync.path("syncId").asText();
            // the checkpoint, and enough of the job's id to tell jobs apart
            String shortId = id.length() > 12 ? id.substring(0, 8) + "-" + id.substring(id.lastIndexOf('-') + 1) : id;
            for (JsonNode table : sync.path("tables")) {
                out.printf(LINE, sync.path("committedAt").asText(), shortId, sync.path("durationMs").asLong(),
                    sync.path("bytes").asLong(), table.path("targetTable").asText(), table.path("snapshot").asLong(),
                    table.path("inserts").asLong(), table.path("updates").asLong(), table.path("replaces").asLong(),
                    table.path("deletes").asLong(), table.path("mismatches").asLong());
            }
        }
    }
}
