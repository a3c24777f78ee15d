package dev.ferry.job.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.Operation;

/**
 * What a writer has passed to ClickHouse since its last sync, per table: each row it wrote (or passed without
 * writing: a range's end, a change that writes nothing) and each insert's time. At a checkpoint the writer has every
 * such row in ClickHouse, and {@link #drain()} turns the tally into the sync's tables and starts afresh. Used from
 * the writer's task thread only.
 */
public final class SyncTally {

    private final Map<String, Long> loadIds;
    private final Map<String, Counts> byTable = new LinkedHashMap<>();

    /** {@code loadIds}: per table, the load its rows count toward. */
    public SyncTally(Map<String, Long> loadIds) {
        this.loadIds = Map.copyOf(loadIds);
    }

    /** {@code row} reached the writer; {@code bytes} of it went into its table's batch (0: not written). */
    public void passed(ChangeRow row, int bytes) {
        Counts counts = byTable.computeIfAbsent(row.table, table -> new Counts());
        counts.bytes += bytes;
        switch (row.operation) {
            case SNAPSHOT -> counts.snapshot++;
            case INSERT -> counts.inserts++;
            case UPDATE -> counts.updates++;
            case REPLACE -> counts.replaces++;
            case DELETE -> counts.deletes++;
            case RANGE_DONE -> {
                counts.rangesDone++;
                counts.ranges = Math.max(counts.ranges, row.rangeEnds);
            }
            default -> {
                // a deleted row left on an old key, or a position: no operation of the user's
            }
        }
        if (row.mismatches > 0) {
            counts.mismatches += row.mismatches;
            if (counts.mismatchExample == null) {
                counts.mismatchExample = row.id;
            }
        }
        if (row.operation.isChange()) {
            counts.firstVersion = counts.firstVersion == 0 ? row.version : Math.min(counts.firstVersion, row.version);
            counts.lastVersion = Math.max(counts.lastVersion, row.version);
        }
    }

    /** An insert into {@code table} took {@code millis}. */
    public void inserted(String table, long millis) {
        byTable.computeIfAbsent(table, name -> new Counts()).writeMillis += millis;
    }

    public boolean isEmpty() {
        return byTable.isEmpty();
    }

    /** The tables' part of the sync, and an empty tally. */
    public List<TableSync> drain() {
        List<TableSync> tables = new ArrayList<>(byTable.size());
        byTable.forEach((table, counts) -> tables.add(new TableSync(table, loadIds.getOrDefault(table, 0L),
            counts.snapshot, counts.inserts, counts.updates, counts.replaces, counts.deletes, counts.bytes,
            counts.mismatches, counts.mismatchExample, counts.writeMillis, counts.firstVersion, counts.lastVersion,
            counts.rangesDone, counts.ranges)));
        byTable.clear();
        return tables;
    }

    /** One table's counts; {@link Operation} says which a row adds to. */
    private static final class Counts {
        long snapshot;
        long inserts;
        long updates;
        long replaces;
        long deletes;
        long bytes;
        long mismatches;
        String mismatchExample;
        long writeMillis;
        long firstVersion;
        long lastVersion;
        int rangesDone;
        int ranges;
    }
}
