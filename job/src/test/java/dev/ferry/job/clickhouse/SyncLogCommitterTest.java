package dev.ferry.job.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.flink.api.connector.sink2.Committer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ferry.common.JobSpec;
import dev.ferry.common.Secret;
import dev.ferry.common.Versions;
import dev.ferry.common.sql.SyncLogTable;
import dev.ferry.job.sync.SyncRecord;
import dev.ferry.job.sync.TableSync;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/** Sync records committed to a real ClickHouse sync log, once each however often they are committed. */
@ExtendWith(ClickHouseExtension.class)
class SyncLogCommitterTest {

    private static final long CHANGE = Versions.of(1_700_000_000, 3, 0);
    private static final SyncRecord RECORD = new SyncRecord("p-1", "shop", "0a1b", "changes#0", 42, List.of(
        new TableSync("orders", 7, 0, 2, 3, 4, 5, 600, 1, "x-1", 80, CHANGE, CHANGE + 1, 0, 0),
        new TableSync("items", 9, 10, 0, 0, 0, 0, 30, 0, "", 3, 0, 0, 1, 4)));

    private final ClickHouseServer clickHouse;
    private final SyncLogTable log;

    SyncLogCommitterTest(ClickHouseServer clickHouse) {
        this.clickHouse = clickHouse;
        this.log = new SyncLogTable(clickHouse.createDatabase("committer"), "sync_log");
        log.createStatements(0).forEach(clickHouse.http()::execute);
    }

    private SyncLogCommitter committer() {
        return new SyncLogCommitter(ClickHouseInserts.connect(new JobSpec.Destination(clickHouse.url(),
            log.database(), "", Secret.NONE, false, false)), log, () -> 1_700_000_123_456L);
    }

    @Test
    void aRecordBecomesARowPerTableWithEveryColumnAsTheJobCountedIt() throws Exception {
        try (SyncLogCommitter committer = committer()) {
            committer.commit(requests(RECORD));
        }

        assertThat(clickHouse.http().rows("SELECT pipe_id, pipe, job_id, checkpoint_id, writer, table, load_id, "
            + "committed_ms, toUnixTimestamp(committed_at), snapshot, inserts, updates, replaces, deletes, bytes, "
            + "mismatches, mismatch_example, write_ms, toUnixTimestamp(changes_from), ranges_done, ranges FROM `"
            + log.database() + "`.sync_log WHERE table = 'orders'"))
            .containsExactly(List.of("p-1", "shop", "0a1b", "42", "changes#0", "orders", "7", "1700000123456",
                "1700000123", "0", "2", "3", "4", "5", "600", "1", "x-1", "80", "1700000000", "0", "0"));
    }

    @Test
    void aRecordCommittedAgainIsNotWrittenTwiceNorCountedTwiceInItsTotals() throws Exception {
        try (SyncLogCommitter committer = committer()) {
            committer.commit(requests(RECORD));
            committer.commit(requests(RECORD));
        }
        try (SyncLogCommitter restored = committer()) {
            restored.commit(requests(RECORD));
        }

        assertThat(clickHouse.http().value("SELECT count() FROM `" + log.database() + "`.sync_log")).isEqualTo("2");
        assertThat(clickHouse.http().rows(log.totalsQuery("p-1").replace("FORMAT JSONEachRow", "")))
            .extracting(row -> row.subList(0, 4)).containsExactlyInAnyOrder(List.of("orders", "7", "1", "0"), List.of("items", "9", "1", "10"));
    }

    private static Collection<Committer.CommitRequest<SyncRecord>> requests(SyncRecord record) {
        List<Committer.CommitRequest<SyncRecord>> requests = new ArrayList<>();
        requests.add(new Committer.CommitRequest<>() {
            @Override
            public SyncRecord getCommittable() {
                return record;
            }

            @Override
            public int getNumberOfRetries() {
                return 0;
            }

            @Override
            public void signalFailedWithKnownReason(Throwable t) {
                throw new AssertionError(t);
            }

            @Override
            public void signalFailedWithUnknownReason(Throwable t) {
                throw new AssertionError(t);
            }

            @Override
            public void retryLater() {
                throw new AssertionError("retry asked");
            }

            @Override
            public void updateAndRetryLater(SyncRecord committable) {
                throw new AssertionError("retry asked");
            }

            @Override
            public void signalAlreadyCommitted() {
                // the record is in the log already: nothing to do
            }
        });
        return requests;
    }
}
