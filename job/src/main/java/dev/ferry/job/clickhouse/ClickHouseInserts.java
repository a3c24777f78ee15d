package dev.ferry.job.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;

import dev.ferry.common.JobSpec;

/**
 * Inserts of encoded rows into the destination's tables, over HTTP with ClickHouse's Java client, and the few reads
 * the job makes ({@link #select}). A call that fails is tried again a few times with a growing pause (a server
 * restarting, a network hiccup) before the caller gives up and Flink restarts the job from its last checkpoint;
 * inserting rows again is harmless, ReplacingMergeTree keeps one row per version.
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
        insertUnless(() -> false, target, data);
    }

    /**
     * Inserts the rows unless {@code written} says they are in the table already, which it is asked before every
     * attempt: an attempt that failed may have landed (its answer lost), and rows that must not be written twice
     * are not.
     */
    void insertUnless(Call<Boolean> written, InsertTarget target, Supplier data)
        throws IOException, InterruptedException {
        retried("insert into " + target.table(), () -> {
            if (written.run()) {
                return null;
            }
            try (InsertResponse ignored = client.insert(target.table(), target.columns(), data.open(),
                ClickHouseFormat.RowBinary, settings).get(INSERT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                return null;
            }
        });
    }

    /** What {@code sql}, a query ending in {@code FORMAT TabSeparated}, answers, as text; one attempt. */
    String select(String sql) throws Exception {
        try (QueryResponse response = client.query(sql, new QuerySettings().setFormat(
            ClickHouseFormat.TabSeparated)).get(INSERT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            return new String(response.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private <T> T retried(String what, Call<T> call) throws IOException, InterruptedException {
        long pause = FIRST_PAUSE_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (attempt == ATTEMPTS) {
                    throw new IOException(what + " failed " + ATTEMPTS + " times; the last time: "
                        + cause.getMessage(), cause);
                }
                Thread.sleep(pause);
                pause *= 2;
            }
        }
    }

    /** One call to the server. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws Exception;
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
