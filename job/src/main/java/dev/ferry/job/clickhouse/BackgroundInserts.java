package dev.ferry.job.clickhouse;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.ferry.common.encoding.ByteBuilder;

/**
 * Sends a writer's batches on a thread of their own, one at a time, so that the task goes on reading and encoding
 * the next batch while ClickHouse takes the last one. Holding at most one batch in flight keeps memory bounded and
 * keeps each table's rows in order; {@link #await()} makes every batch sent so far be in ClickHouse (a checkpoint
 * waits for it). A failed insert fails the next call.
 */
final class BackgroundInserts implements AutoCloseable {

    /** An insert that is in: its table, the buffer it emptied, and how long it took (its retries included). */
    record Done(String table, ByteBuilder emptied, long millis) {
    }

    private final ClickHouseInserts inserts;
    private final ExecutorService thread;
    private Future<Long> inFlight;
    private String inFlightTable;
    private ByteBuilder inFlightRows;

    BackgroundInserts(ClickHouseInserts inserts, String name) {
        this.inserts = inserts;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread sender = new Thread(runnable, name);
            sender.setDaemon(true);
            return sender;
        });
    }

    /** Starts inserting {@code rows} of {@code table} into {@code target}; the batch before must be in. */
    void send(String table, InsertTarget target, ByteBuilder rows) {
        if (inFlight != null) {
            throw new IllegalStateException("a batch is in flight: await it first");
        }
        inFlightTable = table;
        inFlightRows = rows;
        inFlight = thread.submit(() -> {
            long start = System.nanoTime();
            inserts.insert(target, rows::asInputStream);
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        });
    }

    /** Waits for the batch in flight; null when none was in flight. */
    Done await() throws IOException, InterruptedException {
        if (inFlight == null) {
            return null;
        }
        long millis;
        try {
            millis = inFlight.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        } finally {
            inFlight = null;
        }
        ByteBuilder free = inFlightRows;
        inFlightRows = null;
        free.clear();
        return new Done(inFlightTable, free, millis);
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(1, TimeUnit.MINUTES);
        inserts.close();
    }
}
