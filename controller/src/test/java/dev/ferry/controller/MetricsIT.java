package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import dev.ferry.common.Eventually;
import dev.ferry.common.MixedWorkload;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;

/**
 * {@code GET /metrics} scraped as Prometheus would, while a pipe loads a collection read slowly (so that its
 * snapshot is seen under way) and then while it replicates changes of every kind: the series are there and their
 * values move.
 */
@ExtendWith(ClickHouseExtension.class)
class MetricsIT extends WithController {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void theSeriesOfAPipeMoveThroughItsSnapshotAndItsChanges(ClickHouseServer clickHouse) throws Exception {
        String db = "metrics_" + UUID.randomUUID().toString().substring(0, 8);
        String pipe = "metrics-" + db;
        // 100 reads of 100 documents, 100 ms each: the load lasts about 10 s, ten of the pipe's one-second syncs,
        // whose committed rows the sync log counts
        try (ReplicaSetEmulator slow = ReplicaSetEmulator.builder().readLatency(db + ".orders", Duration.ofMillis(100))
                 .start();
             MongoClient client = MongoClients.create(slow.connectionString())) {
            MongoCollection<Document> orders = client.getDatabase(db).getCollection("orders");
            MixedWorkload.insertInitial(orders, 10_000);
            String id = Pipes.create(api, Pipes.request(pipe, slow.connectionString(), clickHouse.url(), db, db,
                "orders", "{\"syncIntervalSeconds\": 1, \"pullBatchSize\": 100, \"snapshotParallelism\": 1}"));
            Map<String, String> table = Map.of("pipe", pipe, "table", "orders");

            Eventually.within(TIMEOUT, () -> {
                List<Sample> scrape = scrape();
                assertThat(value(scrape, "ferry_pipe_state", Map.of("pipe", pipe, "state", "Snapshot"))).hasValue(1);
                assertThat(value(scrape, "ferry_table_snapshot_rows_loaded", table).orElse(0)).isBetween(1.0, 9_999.0);
            });
            List<Sample> loading = scrape();
            assertThat(value(loading, "ferry_pipe_state", Map.of("pipe", pipe, "state", "Running"))).hasValue(0);
            assertThat(value(loading, "ferry_table_snapshot_rows_estimated", table)).hasValue(10_000);
            assertThat(value(loading, "ferry_pipe_transitions_total", Map.of("pipe", pipe, "to", "Snapshot")))
                .hasValue(1);

            Pipes.awaitState(api, id, "Running");
            Eventually.within(TIMEOUT, () -> assertThat(value(scrape(), "ferry_table_rows_total",
                Map.of("pipe", pipe, "table", "orders", "operation", "snapshot"))).hasValue(10_000));
            List<Sample> running = scrape();
            assertThat(value(running, "ferry_pipe_state", Map.of("pipe", pipe, "state", "Running"))).hasValue(1);
            assertThat(value(running, "ferry_pipe_state", Map.of("pipe", pipe, "state", "Snapshot"))).hasValue(0);
            double syncedBefore = value(running, "ferry_pipe_last_synced_timestamp_seconds", Map.of("pipe", pipe))
                .orElseThrow();

            Thread.sleep(1_100); // the synced-at column has whole seconds
            for (int i = 0; i < 30; i++) {
                orders.insertOne(new Document("_id", 100_000 + i).append("n", i));
            }
            for (int i = 0; i < 20; i++) {
                orders.updateOne(Filters.eq("_id", 100_000 + i), Updates.set("n", -i - 1));
            }
            for (int i = 0; i < 5; i++) {
                orders.replaceOne(Filters.eq("_id", 100_020 + i), new Document("replaced", true));
            }
            orders.deleteMany(Filters.in("_id", List.of(100_025, 100_026, 100_027)));

            Eventually.within(TIMEOUT, () -> {
                List<Sample> scrape = scrape();
                Map<String, String> rows = new LinkedHashMap<>(table);
                assertThat(value(scrape, "ferry_table_rows_total", with(rows, "operation", "insert"))).hasValue(30);
                assertThat(value(scrape, "ferry_table_rows_total", with(rows, "operation", "update"))).hasValue(20);
                assertThat(value(scrape, "ferry_table_rows_total", with(rows, "operation", "replace"))).hasValue(5);
                assertThat(value(scrape, "ferry_table_rows_total", with(rows, "operation", "delete"))).hasValue(3);
                assertThat(value(scrape, "ferry_pipe_last_synced_timestamp_seconds", Map.of("pipe", pipe))
                    .orElseThrow()).isGreaterThan(syncedBefore);
                assertThat(value(scrape, "ferry_pipe_lag_seconds", Map.of("pipe", pipe))).isPresent();
            });
            assertThat(value(scrape(), "jvm_memory_used_bytes", Map.of("area", "heap")).orElseThrow())
                .isPositive();
            api.delete("/v1/pipes/" + id);
        }
    }

    private static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(labels);
        more.put(name, value);
        return more;
    }

    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** The scrape, parsed line by line as Prometheus' text format has it. */
    private static List<Sample> scrape() {
        List<Sample> samples = new ArrayList<>();
        for (String line : api.text("/metrics").split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(4))));
        }
        return samples;
    }

    /** The value of the series {@code name} whose labels include {@code labels}, when there is one. */
    private static OptionalDouble value(List<Sample> scrape, String name, Map<String, String> labels) {
        return scrape.stream().filter(sample -> sample.name().equals(name)
                && sample.labels().entrySet().containsAll(labels.entrySet()))
            .mapToDouble(Sample::value).findFirst();
    }
}
