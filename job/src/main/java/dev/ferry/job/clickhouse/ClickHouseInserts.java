package dev.ferry.job.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;

import dev.ferry.common.JobSpec;

/**
 * Inserts of encoded rows into the destination's tables, over HTTP with ClickHouse's Java client. An insert that
 * fails is tried again a few times with a growing pause (a server restarting, a network hiccup) before the writer
 * gives up and Flink restarts the job from its last checkpoint; inserting rows again is harmless, ReplacingMergeTree
 * keeps one row per version.
 */
final class ClickHouseInserts implements AutoCloseable {

    private static final int ATTEMPTS = 4;
    private static final long FIRST_PAUSE_MILLIS = 500;
    private static final long INSERT_TIMEOUT_MINUTES = 5;

    private final Client client;
    private final InsertSettings settings;

    private ClickHouseInserts(Client client, InsertSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    static ClickHouseInserts connect(JobSpec.Destination destination) {
        String username = destination.username() == null || destination.username().isEmpty() ? "default"
            : destination.username();
        Client client = new Client.Builder()
            .addEndpoint(destination.url())
            .setUsername(username)
            .setPassword(destination.password().resolve())
            .setDefaultDatabase(destination.database())
            // ClickHouse 18.16 answers a request for a compressed response with an empty body
            .compressServerResponse(destination.compression())
            .setConnectTimeout(10, ChronoUnit.SECONDS)
            .setSocketTimeout(INSERT_TIMEOUT_MINUTES, ChronoUnit.MINUTES)
            .build();
        InsertSettings settings = new InsertSettings();
        if (destination.jsonDoc()) {
            // a JSON column takes the document's text in RowBinary only when told so
            settings.serverSetting("input_format_binary_read_json_as_string", "1");
        }
        return new ClickHouseInserts(client, settings);
    }

    /** Inserts the RowBinary rows of {@code data} into {@code target}'s table. */
    void insert(InsertTarget target, Supplier data) throws IOException, InterruptedException {
        String table = target.table();
        long pause = FIRST_PAUSE_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try (InsertResponse ignored = client.insert(table, target.columns(), data.open(),
                ClickHouseFormat.RowBinary, settings).get(INSERT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (attempt == ATTEMPTS) {
                    throw new IOException("insert into " + table + " failed " + ATTEMPTS + " times; the last time: "
                        + cause.getMessage(), cause);
                }
                Thread.sleep(pause);
                pause *= 2;
            }
        }
    }

    /** The rows to insert, which an attempt that failed reads again from the start. */
    @FunctionalInterface
    interface Supplier {
        InputStream open();
    }

    @Override
    public void close() {
        client.close();
    }
}
