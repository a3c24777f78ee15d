package dev.ferry.controller.pipe;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import dev.ferry.controller.connect.SyncLog;

/**
 * What the sync log and the source said of a pipe at {@code readAtMillis}: each table's current load, as the log
 * totals it ({@code loads}, by table; a table the log has nothing of yet is missing), how many snapshot rows a
 * second each table's load committed lately ({@code snapshotRates}, where known), and how far ClickHouse is behind
 * MongoDB ({@code lagSeconds}: the age of the oldest change not committed yet, 0 when there is none; empty when
 * unknown, or for a pipe without a change stream). Kept in memory; the next reading replaces it, and a reading that
 * failed keeps the last one's figures.
 */
public record SyncObservation(Map<String, SyncLog.LoadTotals> loads, Map<String, Double> snapshotRates,
                              OptionalDouble lagSeconds, long readAtMillis) {

    public SyncObservation {
        loads = Map.copyOf(loads);
        snapshotRates = Map.copyOf(snapshotRates);
    }

    /** The totals of the table's current load, when the log has any. */
    public Optional<SyncLog.LoadTotals> load(String table) {
        return Optional.ofNullable(loads.get(table));
    }
}
