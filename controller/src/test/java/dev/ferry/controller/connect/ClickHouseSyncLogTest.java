package dev.ferry.controller.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ferry.common.sql.SyncLogTable;
import dev.ferry.controller.pipe.Credentials;
import dev.ferry.controller.pipe.DestinationSpec;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/**
 * The controller's reads of a sync log on a real ClickHouse: each load's totals, the syncs of a pipe grouped by
 * checkpoint with their tables, and rows per interval; rows the job wrote are stood in for by inserts here.
 */
@ExtendWith(ClickHouseExtension.class)
class ClickHouseSyncLogTest {

    private static final long T0 = 1_800_000_000_000L;

    private final ClickHouseServer clickHouse;
    private final SyncLogTable table;
    private final ClickHouseSyncLog log;

    ClickHouseSyncLogTest(ClickHouseServer clickHouse) {
        this.clickHouse = clickHouse;
        this.table = new SyncLogTable(clickHouse.createDatabase("synclog"), "sync_log");
        this.log = new ClickHouseSyncLog(new DestinationSpec(clickHouse.url(), "default", Credentials.NONE), table);
        log.create(30);
    }

    /** A row of the log, as a committer writes it. */
    private void logged(String pipe, String job, long checkpoint, String writer, String target, long loadId,
                        long committedMs, long snapshot, long inserts, long deletes, long ranges, long rangesDone,
                        long lastVersion) {
        clickHouse.http().execute("INSERT INTO `" + table.database() + "`.sync_log (pipe_id, pipe, job_id, "
            + "checkpoint_id, writer, table, load_id, committed_ms, snapshot, inserts, updates, replaces, deletes, "
            + "bytes, mismatches, mismatch_example, write_ms, first_version, last_version, changes_from, changes_to, "
            + "ranges_done, ranges) VALUES ('" + pipe + "', 'shop', '" + job + "', " + checkpoint + ", '" + writer
            + "', '" + target + "', " + loadId + ", " + committedMs + ", " + snapshot + ", " + inserts + ", 1, 0, "
            + deletes + ", 100, 0, '', 7, 0, " + lastVersion + ", 0, 0, " + rangesDone + ", " + ranges + ")");
    }

    @Test
    void creatingTheLogAgainChangesNothingAndAServerWithoutTableTtlsGetsNone() {
        log.create(30);

        assertThat(clickHouse.http().value("SELECT count() FROM system.tables WHERE database = '"
            + table.database() + "'")).isEqualTo("3");
        assertThat(clickHouse.http().execute("SHOW CREATE TABLE `" + table.database() + "`.sync_log"))
            .doesNotContain("TTL");
    }

    @Test
    void eachLoadsTotalsAddUpItsSyncsWhateverWriterWroteThem() {
        logged("p", "j1", 1, "snapshot#0", "orders", 7, T0, 500, 0, 0, 4, 2, 0);
        logged("p", "j1", 1, "snapshot#1", "orders", 7, T0, 500, 0, 0, 4, 2, 0);
        logged("p", "j1", 2, "changes#0", "orders", 7, T0 + 1_000, 0, 30, 5, 0, 0, 900);
        logged("p", "j1", 2, "changes#0", "orders", 6, T0 + 1_000, 0, 99, 0, 0, 0, 800);
        logged("other", "j9", 1, "changes#0", "orders", 7, T0, 0, 1, 0, 0, 0, 0);

        List<SyncLog.LoadTotals> totals = log.totals("p");

        assertThat(totals).filteredOn(load -> load.loadId() == 7).singleElement().satisfies(load -> {
            assertThat(load.snapshot()).isEqualTo(1_000);
            assertThat(load.inserts()).isEqualTo(30);
            assertThat(load.deletes()).isEqualTo(5);
            assertThat(load.updates()).isEqualTo(3);
            assertThat(load.loaded()).isTrue();
            assertThat(load.lastVersion()).isEqualTo(900);
            assertThat(load.lastSyncedMillis()).isEqualTo(T0 + 1_000);
        });
        assertThat(totals).hasSize(2);
    }

    @Test
    void syncsAreGroupedByCheckpointNewestFirstWithTheirTablesRows() {
        logged("p", "j1", 1, "snapshot#0", "orders", 7, T0, 500, 0, 0, 4, 2, 0);
        logged("p", "j1", 1, "snapshot#1", "orders", 7, T0 + 20, 400, 0, 0, 4, 2, 0);
        logged("p", "j1", 1, "changes#0", "items", 8, T0 + 10, 0, 3, 0, 0, 0, 0);
        logged("p", "j1", 2, "changes#0", "orders", 7, T0 + 1_000, 0, 30, 5, 0, 0, 900);

        List<SyncLog.Sync> syncs = log.history("p", Instant.ofEpochMilli(0), 10);

        assertThat(syncs).extracting(SyncLog.Sync::syncId).containsExactly("j1-2", "j1-1");
        SyncLog.Sync first = syncs.get(1);
        assertThat(first.committedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 20));
        assertThat(first.durationMs()).isEqualTo(21);
        assertThat(first.bytes()).isEqualTo(300);
        assertThat(first.tables()).containsExactly(new SyncLog.SyncTable("items", 0, 3, 1, 0, 0, 0),
            new SyncLog.SyncTable("orders", 900, 0, 2, 0, 0, 0));
        assertThat(log.history("p", Instant.ofEpochMilli(T0 + 500), 10)).extracting(SyncLog.Sync::syncId)
            .containsExactly("j1-2");
        assertThat(log.history("p", Instant.ofEpochMilli(0), 1)).extracting(SyncLog.Sync::syncId)
            .containsExactly("j1-2");
    }

    @Test
    void throughputAddsUpTheRowsCommittedInEachInterval() {
        logged("p", "j1", 1, "snapshot#0", "orders", 7, T0 + 100, 500, 0, 0, 4, 2, 0);
        logged("p", "j1", 2, "changes#0", "orders", 7, T0 + 59_000, 0, 30, 5, 0, 0, 900);
        logged("p", "j1", 3, "changes#0", "orders", 7, T0 + 61_000, 0, 7, 0, 0, 0, 901);

        List<SyncLog.Interval> intervals = log.throughput("p", Instant.ofEpochMilli(T0), Duration.ofMinutes(1));

        assertThat(intervals).containsExactly(
            new SyncLog.Interval(Instant.ofEpochMilli(T0), 500, 30, 2, 0, 5, 0),
            new SyncLog.Interval(Instant.ofEpochMilli(T0 + 60_000), 0, 7, 1, 0, 0, 0));
    }

    @Test
    void throughputTellsTheLongestAChangeCommittedInEachIntervalWaited() {
        waited(1, T0 + 10_000, T0 / 1000 + 8);
        waited(2, T0 + 20_000, T0 / 1000 + 5);
        waited(3, T0 + 70_000, T0 / 1000 + 69);

        assertThat(log.throughput("p", Instant.ofEpochMilli(T0), Duration.ofMinutes(1)))
            .extracting(SyncLog.Interval::lagSeconds).containsExactly(15.0, 1.0);
    }

    /** A sync of changes committed at {@code committedMs} whose oldest change happened at {@code changesFrom}. */
    private void waited(long checkpoint, long committedMs, long changesFrom) {
        clickHouse.http().execute("INSERT INTO `" + table.database() + "`.sync_log (pipe_id, pipe, job_id, "
            + "checkpoint_id, writer, table, load_id, committed_ms, inserts, first_version, last_version, "
            + "changes_from, changes_to) VALUES ('p', 'shop', 'j1', " + checkpoint + ", 'changes#0', 'orders', 7, "
            + committedMs + ", 1, " + (changesFrom << 32) + ", " + (changesFrom << 32) + ", " + changesFrom + ", "
            + changesFrom + ")");
    }
}
