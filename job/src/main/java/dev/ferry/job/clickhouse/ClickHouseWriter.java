package dev.ferry.job.clickhouse;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.sync.SyncRecord;
import dev.ferry.job.sync.SyncTally;

/**
 * Keeps a batch per table and inserts it as {@link ClickHouseSink} describes, in the background
 * ({@link BackgroundInserts}): a flush for a checkpoint waits until every batch is in. It tallies what it writes
 * ({@link SyncTally}) and hands the tally over at every checkpoint, once its rows are in, as its part of the sync
 * ({@link #prepareCommit()}). Runs in the task's thread only (the interval's timer too), so it needs no locks.
 */
final class ClickHouseWriter implements CommittingSinkWriter<ChangeRow, SyncRecord> {

    /** Who writes: what a sync record of this writer says of its origin. */
    record Identity(String pipeId, String pipe, String jobId, String writer) {
    }

    private final BackgroundInserts inserts;
    private final Map<String, TableBatch> batches = new HashMap<>();
    private final Identity identity;
    private final SyncTally tally;
    private final int batchRows;
    private final long batchBytes;
    private final long bufferedBytes;
    private final long intervalMillis;
    private final ProcessingTimeService time;
    private final Counter rowsSent;
    private final Counter bytesSent;
    private long buffered;

    ClickHouseWriter(BackgroundInserts inserts, Map<String, InsertTarget> destinationByTable, Identity identity,
                     SyncTally tally, int batchRows, long batchBytes, long bufferedBytes, long intervalMillis,
                     ProcessingTimeService time, SinkWriterMetricGroup metrics) {
        this.inserts = inserts;
        this.identity = identity;
        this.tally = tally;
        this.batchRows = batchRows;
        this.batchBytes = batchBytes;
        this.bufferedBytes = bufferedBytes;
        this.intervalMillis = intervalMillis;
        this.time = time;
        this.rowsSent = metrics.getNumRecordsSendCounter();
        this.bytesSent = metrics.getNumBytesSendCounter();
        // what an emptied batch keeps of its buffer: all of it for a writer of few tables, less for one of many
        long kept = Math.max(256 * 1024, Math.min(batchBytes, bufferedBytes / Math.max(1, destinationByTable.size())));
        destinationByTable.forEach((table, destination) -> batches.put(table,
            new TableBatch(table, destination, kept)));
        scheduleInterval();
    }

    @Override
    public void write(ChangeRow row, Context context) throws IOException, InterruptedException {
        TableBatch batch = batches.get(row.table);
        if (batch == null) {
            throw new IllegalStateException("a row for table " + row.table + ", which the pipe does not have");
        }
        if (!row.operation.isWritten()) {
            tally.passed(row, 0);
            return;
        }
        int bytes = batch.add(row);
        buffered += bytes;
        tally.passed(row, bytes);
        if (batch.count() >= batchRows || batch.bytes() >= batchBytes) {
            send(batch);
        } else if (buffered >= bufferedBytes) {
            send(largest());
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        sendAll();
        account(inserts.await());
    }

    /** What this writer made durable since the last checkpoint; called once {@link #flush} has it all in. */
    @Override
    public Collection<SyncRecord> prepareCommit() {
        if (tally.isEmpty()) {
            return List.of();
        }
        return List.of(new SyncRecord(identity.pipeId(), identity.pipe(), identity.jobId(), identity.writer(),
            SyncRecord.NO_CHECKPOINT, tally.drain()));
    }

    /** Every interval, whatever the batches hold is inserted; a failure fails the task as a write's would. */
    private void scheduleInterval() {
        time.registerTimer(time.getCurrentProcessingTime() + intervalMillis, timestamp -> {
            sendAll();
            scheduleInterval();
        });
    }

    private void sendAll() throws IOException, InterruptedException {
        for (TableBatch batch : batches.values()) {
            if (!batch.isEmpty()) {
                send(batch);
            }
        }
    }

    private TableBatch largest() {
        return batches.values().stream().max((a, b) -> Long.compare(a.bytes(), b.bytes())).orElseThrow();
    }

    /**
     * Starts inserting the batch once the batch sent before is in; the table's batch goes on in the buffer that
     * one used.
     */
    private void send(TableBatch batch) throws IOException, InterruptedException {
        BackgroundInserts.Done done = inserts.await();
        account(done);
        rowsSent.inc(batch.count());
        bytesSent.inc(batch.bytes());
        buffered -= batch.bytes();
        inserts.send(batch.table(), batch.destination(), batch.takeRows(done == null ? null : done.emptied()));
    }

    private void account(BackgroundInserts.Done done) {
        if (done != null) {
            tally.inserted(done.table(), done.millis());
        }
    }

    @Override
    public void close() throws InterruptedException {
        inserts.close();
    }
}
