package dev.ferry.controller.pipe;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import dev.ferry.controller.connect.SyncLog;

/**
 * What the sync log and the source said of a pipe at {@code readAtMillis}: each table's current load, as the log
 * totals it ({@code loads}, by table; a table the log has nothing of yet is missing), how many snapshot rows a
 * second each table's load committed lately ({@code snapshotRates}, where known) and how many rows of any kind the
 * pipe did ({@code rowsPerSecond}, over the last minute, once known), and how far ClickHouse is behind MongoDB
 * ({@code lagSeconds}: the age of the oldest change not committed yet, 0 when there is none; empty when unknown, or
 * for a pipe without a change stream). Kept in memory; the next reading replaces it, and a reading that failed
 * keeps the last one's figures.
 */
public record SyncObservation(Map<String, SyncLog.LoadTotals> loads, Map<String, Double> snapshotRates,
                              OptionalDouble rowsPerSecond, OptionalDouble lagSeconds, long readAtMillis) {

    public SyncObservation {
        loads = Map.copyOf(loads);
        snapshotRates = Map.copyOf(snapshotRates);
    }

    /** When any of the pipe's tables last received rows, when one has. */
    public Optional<Instant> lastSynced() {
        return loads.values().stream().mapToLong(SyncLog.LoadTotals::lastSyncedMillis).filter(at -> at > 0).max()
            .stream().mapToObj(Instant::ofEpochMilli).findFirst();
    }

    /** The totals of the table's current load, when the log has any. */
    public Optional<SyncLog.LoadTotals> load(String table) {
        return Optional.ofNullable(loads.get(table));
    }
}
