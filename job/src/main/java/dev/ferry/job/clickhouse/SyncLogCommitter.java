package dev.ferry.job.clickhouse;

import java.io.IOException;
import java.util.Collection;
import java.util.function.LongSupplier;

import org.apache.flink.api.connector.sink2.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.common.sql.SqlTemplate;
import dev.ferry.common.sql.SyncLogTable;
import dev.ferry.job.sync.SyncRecord;

/**
 * Commits a writer's syncs to the sync log once their checkpoint has completed, so that the log holds only what no
 * restore will replay. A sync is committed again after a restore from the checkpoint that held it (Flink cannot
 * know whether the first commit landed) and after an insert whose answer was lost: the log is asked first, and a
 * record it has already is not written twice.
 */
final class SyncLogCommitter implements Committer<SyncRecord> {

    private static final Logger log = LoggerFactory.getLogger(SyncLogCommitter.class);

    private final ClickHouseInserts clickHouse;
    private final SyncLogTable syncLog;
    private final InsertTarget target;
    private final LongSupplier clock;

    SyncLogCommitter(ClickHouseInserts clickHouse, SyncLogTable syncLog, LongSupplier clock) {
        this.clickHouse = clickHouse;
        this.syncLog = syncLog;
        this.target = new InsertTarget(syncLog.quotedName(), SyncLogTable.WRITTEN_COLUMNS.stream()
            .map(SqlTemplate::quotedIdentifier).toList());
        this.clock = clock;
    }

    @Override
    public void commit(Collection<CommitRequest<SyncRecord>> requests) throws IOException, InterruptedException {
        for (CommitRequest<SyncRecord> request : requests) {
            SyncRecord record = request.getCommittable();
            if (record.tables().isEmpty()) {
                continue;
            }
            clickHouse.insertUnless(() -> written(record), target,
                SyncLogRows.of(record, clock.getAsLong())::asInputStream);
        }
    }

    private boolean written(SyncRecord record) throws Exception {
        String count = clickHouse.select(syncLog.writtenQuery(record.pipeId(), record.jobId(), record.checkpointId(),
            record.writer())).trim();
        boolean written = !count.isEmpty() && Long.parseLong(count) > 0;
        if (written) {
            log.info("sync {} of job {} by {} is in the sync log already", record.checkpointId(), record.jobId(),
                record.writer());
        }
        return written;
    }

    @Override
    public void close() {
        clickHouse.close();
    }
}
