package dev.ferry.controller.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import dev.ferry.controller.pipe.LifecycleState;

/** What the metrics show of one pipe at one scrape. */
public record PipeReading(String name, LifecycleState state, OptionalDouble lagSeconds, Optional<Instant> lastSynced,
                          List<Table> tables) {

    public PipeReading {
        tables = List.copyOf(tables);
    }

    /**
     * One table: rows by operation since it was last loaded (snapshot, insert, update, replace, delete; empty before
     * the sync log was read), its snapshot's progress, and the typed-column values that did not fit (empty for a table
     * without typed columns).
     */
    public record Table(String table, Map<String, Long> rows, long snapshotRowsEstimated,
                        OptionalLong columnMismatches) {

        public Table {
            rows = Map.copyOf(rows);
        }

        public OptionalLong snapshotRowsLoaded() {
            Long loaded = rows.get("snapshot");
            return loaded == null ? OptionalLong.empty() : OptionalLong.of(loaded);
        }
    }
}
