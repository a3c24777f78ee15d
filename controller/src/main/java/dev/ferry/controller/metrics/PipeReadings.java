package dev.ferry.controller.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeNotFoundException;
import dev.ferry.controller.service.PipeService;
import dev.ferry.controller.service.TableProgress;

/** Reads every pipe for the metrics, as the API shows it: its state, lag and tables. */
public final class PipeReadings implements Supplier<List<PipeReading>> {

    private final PipeService pipes;

    public PipeReadings(PipeService pipes) {
        this.pipes = pipes;
    }

    @Override
    public List<PipeReading> get() {
        List<PipeReading> readings = new ArrayList<>();
        for (Pipe pipe : pipes.list()) {
            List<TableProgress> tables;
            try {
                tables = pipes.tables(pipe.id());
            } catch (PipeNotFoundException e) {
                continue; // deleted since the list was read
            }
            Optional<Instant> lastSynced = tables.stream().filter(table -> table.cdc() != null)
                .map(table -> table.cdc().lastSyncedAt()).filter(Objects::nonNull).map(Instant::parse)
                .max(Instant::compareTo);
            readings.add(new PipeReading(pipe.name(), pipe.state(), pipes.lagSeconds(pipe), lastSynced,
                tables.stream().map(PipeReadings::table).toList()));
        }
        return readings;
    }

    private static PipeReading.Table table(TableProgress table) {
        Map<String, Long> rows = new LinkedHashMap<>();
        if (table.snapshot().rowsLoaded() != null) {
            rows.put("snapshot", table.snapshot().rowsLoaded());
        }
        if (table.cdc() != null) {
            rows.put("insert", table.cdc().inserts());
            rows.put("update", table.cdc().updates());
            rows.put("replace", table.cdc().replaces());
            rows.put("delete", table.cdc().deletes());
        }
        return new PipeReading.Table(table.targetTable(), rows, table.snapshot().rowsEstimated(),
            table.columns() == null ? OptionalLong.empty()
                : OptionalLong.of(table.columns().mismatches()));
    }
}
