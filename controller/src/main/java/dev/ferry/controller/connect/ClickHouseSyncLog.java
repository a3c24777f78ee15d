package dev.ferry.controller.connect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.common.sql.SyncLogTable;
import dev.ferry.controller.pipe.DestinationSpec;

/** The sync log on a pipe's ClickHouse server, through its HTTP interface and the {@code sql/} templates. */
public final class ClickHouseSyncLog implements SyncLog {

    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    /** The totals are read every second: one that takes longer is skipped, and the last reading stands. */
    private static final Duration TOTALS_TIMEOUT = Duration.ofSeconds(5);

    private final SyncLogTable table;
    private final ClickHouseConnection connection;

    public ClickHouseSyncLog(DestinationSpec destination, SyncLogTable table) {
        this.table = table;
        this.connection = new ClickHouseConnection(destination);
    }

    @Override
    public void create(int ttlDays) {
        ClickHouseVersion version = ClickHouseVersion.parse(connection.execute("SELECT version() FORMAT TabSeparated",
            STATEMENT_TIMEOUT).trim());
        for (String statement : table.createStatements(version.hasTableTtl() ? ttlDays : 0)) {
            connection.execute(statement, STATEMENT_TIMEOUT);
        }
    }

    @Override
    public List<LoadTotals> totals(String pipeId) {
        List<LoadTotals> totals = new ArrayList<>();
        connection.jsonRows(table.totalsQuery(pipeId), TOTALS_TIMEOUT, row -> totals.add(new LoadTotals(
            row.path("table").asText(), row.path("load_id").asLong(), row.path("total_syncs").asLong(),
            row.path("total_snapshot").asLong(), row.path("total_inserts").asLong(),
            row.path("total_updates").asLong(), row.path("total_replaces").asLong(),
            row.path("total_deletes").asLong(), row.path("total_bytes").asLong(),
            row.path("total_mismatches").asLong(), row.path("newest_mismatch_example").asText(),
            row.path("total_ranges_done").asLong(), row.path("load_ranges").asLong(),
            row.path("newest_synced_ms").asLong(), row.path("newest_version").asLong())));
        return totals;
    }

    @Override
    public List<Sync> history(String pipeId, Instant since, int limit) {
        List<Sync> syncs = new ArrayList<>();
        connection.jsonRows(table.historyQuery(pipeId, since.toEpochMilli(), limit), STATEMENT_TIMEOUT, row -> {
            List<SyncTable> tables = new ArrayList<>();
            JsonNode names = row.path("tables");
            for (int i = 0; i < names.size(); i++) {
                tables.add(new SyncTable(names.get(i).asText(), row.path("snapshots").get(i).asLong(),
                    row.path("inserts").get(i).asLong(), row.path("updates").get(i).asLong(),
                    row.path("replaces").get(i).asLong(), row.path("deletes").get(i).asLong(),
                    row.path("mismatches").get(i).asLong()));
            }
            tables.sort(Comparator.comparing(SyncTable::targetTable));
            syncs.add(new Sync(row.path("job_id").asText() + "-" + row.path("checkpoint_id").asText(),
                Instant.ofEpochMilli(row.path("sync_committed_ms").asLong()), row.path("sync_write_ms").asLong(),
                row.path("sync_bytes").asLong(), tables));
        });
        return syncs;
    }

    @Override
    public List<Interval> throughput(String pipeId, Instant since, Duration step) {
        List<Interval> intervals = new ArrayList<>();
        connection.jsonRows(table.throughputQuery(pipeId, since.toEpochMilli(), step.toMillis()), STATEMENT_TIMEOUT,
            row -> intervals.add(new Interval(Instant.ofEpochMilli(row.path("interval_ms").asLong()),
                row.path("interval_snapshot").asLong(), row.path("interval_inserts").asLong(),
                row.path("interval_updates").asLong(), row.path("interval_replaces").asLong(),
                row.path("interval_deletes").asLong(), row.path("interval_lag_seconds").asDouble())));
        return intervals;
    }
}
