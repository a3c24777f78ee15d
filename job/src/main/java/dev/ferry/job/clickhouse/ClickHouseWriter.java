package dev.ferry.job.clickhouse;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import dev.ferry.common.encoding.ByteBuilder;
import dev.ferry.job.row.ChangeRow;

/**
 * Keeps a batch per table and inserts it as {@link ClickHouseSink} describes, in the background
 * ({@link BackgroundInserts}): a flush for a checkpoint waits until every batch is in. Runs in the task's thread only
 * (the interval's timer too), so it needs no locks.
 */
final class ClickHouseWriter implements SinkWriter<ChangeRow> {

    private final BackgroundInserts inserts;
    private final Map<String, TableBatch> batches = new HashMap<>();
    private final int batchRows;
    private final long batchBytes;
    private final long bufferedBytes;
    private final long intervalMillis;
    private final ProcessingTimeService time;
    private final Counter rowsSent;
    private final Counter bytesSent;
    private long buffered;

    ClickHouseWriter(BackgroundInserts inserts, Map<String, InsertTarget> destinationByTable, int batchRows,
                     long batchBytes, long bufferedBytes, long intervalMillis, ProcessingTimeService time,
                     SinkWriterMetricGroup metrics) {
        this.inserts = inserts;
        this.batchRows = batchRows;
        this.batchBytes = batchBytes;
        this.bufferedBytes = bufferedBytes;
        this.intervalMillis = intervalMillis;
        this.time = time;
        this.rowsSent = metrics.getNumRecordsSendCounter();
        this.bytesSent = metrics.getNumBytesSendCounter();
        // what an emptied batch keeps of its buffer: all of it for a writer of few tables, less for one of many
        long kept = Math.max(256 * 1024, Math.min(batchBytes, bufferedBytes / Math.max(1, destinationByTable.size())));
        destinationByTable.forEach((table, destination) -> batches.put(table, new TableBatch(destination, kept)));
        scheduleInterval();
    }

    @Override
    public void write(ChangeRow row, Context context) throws IOException, InterruptedException {
        TableBatch batch = batches.get(row.table);
        if (batch == null) {
            throw new IllegalStateException("a row for table " + row.table + ", which the pipe does not have");
        }
        buffered += batch.add(row);
        if (batch.count() >= batchRows || batch.bytes() >= batchBytes) {
            send(batch);
        } else if (buffered >= bufferedBytes) {
            send(largest());
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        sendAll();
        inserts.await();
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
        ByteBuilder spare = inserts.await();
        rowsSent.inc(batch.count());
        bytesSent.inc(batch.bytes());
        buffered -= batch.bytes();
        inserts.send(batch.destination(), batch.takeRows(spare));
    }

    @Override
    public void close() throws InterruptedException {
        inserts.close();
    }
}
