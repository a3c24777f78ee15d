package dev.ferry.controller.cli;

import java.io.PrintStream;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code ferry pipes tables}: one line per table, and with {@code --watch} a progress bar for those loading. */
final class TableView {

    private static final int BAR_WIDTH = 30;

    private TableView() {
    }

    static void print(JsonNode tables, PrintStream out) {
        out.printf("%-24s  %-8s  %21s  %10s  %8s  %9s  %9s  %9s  %9s  %10s  %s%n", "TABLE", "SNAPSHOT",
            "ROWS LOADED/ESTIMATED", "ROWS/S", "ETA", "INSERTS", "UPDATES", "REPLACES", "DELETES", "MISMATCHES",
            "LAST SYNCED");
        for (JsonNode table : tables) {
            JsonNode snapshot = table.path("snapshot");
            JsonNode cdc = table.path("cdc");
            JsonNode columns = table.path("columns");
            out.printf("%-24s  %-8s  %21s  %10s  %8s  %9s  %9s  %9s  %9s  %10s  %s%n", table.path("targetTable").asText(),
                snapshot.path("status").asText(),
                count(snapshot.path("rowsLoaded")) + "/" + snapshot.path("rowsEstimated").asLong(),
                rate(snapshot), eta(snapshot), count(cdc.path("inserts")), count(cdc.path("updates")),
                count(cdc.path("replaces")), count(cdc.path("deletes")),
                // typed-column values that did not fit, for tables that have typed columns
                columns.isObject() ? Long.toString(columns.path("mismatches").asLong()) : "-",
                cdc.path("lastSyncedAt").isTextual() ? cdc.path("lastSyncedAt").asText() : "-");
        }
    }

    /** Whether any table's snapshot is still to come or under way. */
    static boolean loading(JsonNode tables) {
        for (JsonNode table : tables) {
            String status = table.path("snapshot").path("status").asText();
            if (status.equals("pending") || status.equals("queued") || status.equals("running")) {
                return true;
            }
        }
        return false;
    }

    /** One progress line per table: a bar of rows loaded out of estimated, the rate and the time left. */
    static void progress(JsonNode tables, PrintStream out) {
        for (JsonNode table : tables) {
            JsonNode snapshot = table.path("snapshot");
            long loaded = snapshot.path("rowsLoaded").asLong();
            long estimated = snapshot.path("rowsEstimated").asLong();
            String status = snapshot.path("status").asText();
            double done = status.equals("done") || status.equals("skipped") ? 1
                : estimated > 0 ? Math.min(1, (double) loaded / estimated) : 0;
            int filled = (int) Math.round(done * BAR_WIDTH);
            out.printf("%-24s [%s%s] %3d%%  %,d/%,d rows  %s rows/s  ETA %s  %s%n", table.path("targetTable").asText(),
                "#".repeat(filled), ".".repeat(BAR_WIDTH - filled), Math.round(done * 100), loaded, estimated,
                rate(snapshot), eta(snapshot), status);
        }
    }

    /** A count, or "?" while the controller has not read it yet. */
    private static String count(JsonNode value) {
        return value.isNumber() ? Long.toString(value.asLong()) : "?";
    }

    private static String rate(JsonNode snapshot) {
        return snapshot.path("rowsPerSecond").isNumber()
            ? String.format(Locale.ROOT, "%.0f", snapshot.path("rowsPerSecond").asDouble()) : "-";
    }

    private static String eta(JsonNode snapshot) {
        if (!snapshot.path("etaSeconds").isNumber()) {
            return "-";
        }
        long seconds = snapshot.path("etaSeconds").asLong();
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
            : seconds >= 60 ? String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60) : seconds + "s";
    }
}
