package dev.ferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.CountedWorkload;
import dev.ferry.common.Eventually;
import dev.ferry.common.JobSpec;
import dev.ferry.common.MixedWorkload;
import dev.ferry.common.Replicas;
import dev.ferry.common.Secret;
import dev.ferry.common.mongo.StartPosition;
import dev.ferry.common.sql.SyncLogTable;
import dev.ferry.common.sql.TableLayout;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;
import dev.ferry.testkit.net.TcpProxy;

/**
 * The sync log as the job writes it, on a real MiniCluster, MongoDB emulator and ClickHouse: each load's totals
 * hold every row written exactly once, by operation, however the job is stopped, failed and restored, and a load
 * is done in the log exactly when all its rows are counted.
 */
@ExtendWith(ClickHouseExtension.class)
class SyncLogTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String PIPE = "pipe-1";

    private static ReplicaSetEmulator emulator;
    private static MongoClient client;
    private final ClickHouseServer clickHouse;
    private String database;
    private MongoCollection<Document> orders;

    SyncLogTest(ClickHouseServer clickHouse) {
        this.clickHouse = clickHouse;
    }

    @BeforeAll
    static void startMongo() {
        emulator = ReplicaSetEmulator.start();
        client = MongoClients.create(emulator.connectionString());
    }

    @AfterAll
    static void stopMongo() {
        client.close();
        emulator.close();
    }

    @BeforeEach
    void freshCollectionTableAndLog() {
        database = clickHouse.createDatabase("synclog");
        orders = client.getDatabase("sync_" + UUID.randomUUID().toString().substring(0, 8)).getCollection("orders");
        syncLog().createStatements(0).forEach(clickHouse.http()::execute);
    }

    private SyncLogTable syncLog() {
        return new SyncLogTable(database, "sync_log");
    }

    private JobSpec spec(String clickHouseUrl, long startAt, JobSpec.Table table) {
        return spec(emulator.connectionString(), clickHouseUrl, startAt, table, 1_000);
    }

    private JobSpec spec(String mongoUri, String clickHouseUrl, long startAt, JobSpec.Table table, int batch) {
        return new JobSpec(PIPE, "test", new JobSpec.Source(mongoUri, null, null, Secret.NONE),
            new JobSpec.Destination(clickHouseUrl, database, "", Secret.NONE, false, false), List.of(table), JobSpec.Mode.CDC,
            batch, 1, new JobSpec.Snapshot(1, 2, 1_000), startAt, "", null, syncLog());
    }

    private JobSpec.Table plainTable() {
        clickHouse.http().execute(TableLayout.plain("String", "DateTime").createStatement(database, "orders"));
        return new JobSpec.Table(orders.getNamespace().getDatabaseName(), "orders", "orders").withLoadId(7);
    }

    private static JobClient start(JobSpec spec, Configuration extra) throws Exception {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 100);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        conf.addAll(extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        FerryJob.build(env, spec);
        return env.executeAsync("sync log test");
    }

    /** The load's totals by column ({@code total_snapshot} ...), as the controller reads them. */
    private Map<String, Long> totals(String table, long loadId) {
        Map<String, Long> totals = new HashMap<>();
        clickHouse.http().execute(syncLog().totalsQuery(PIPE)).lines().filter(line -> !line.isBlank())
            .map(Document::parse)
            .filter(row -> row.getString("table").equals(table) && Long.parseLong(row.get("load_id").toString())
                == loadId)
            .forEach(row -> row.forEach((column, value) -> {
                if (column.startsWith("total_") || column.equals("load_ranges") || column.equals("newest_version")) {
                    totals.put(column, Long.parseLong(value.toString()));
                }
            }));
        return totals;
    }

    /** Waits until the load is done in the log, then checks it holds every document once. */
    private void awaitLoaded(long documents) {
        Eventually.within(TIMEOUT, () -> {
            Map<String, Long> totals = totals("orders", 7);
            assertThat(totals.get("load_ranges")).as("ranges of the load").isPositive();
            assertThat(totals.get("total_ranges_done")).isEqualTo(totals.get("load_ranges"));
        });
        assertThat(totals("orders", 7)).containsEntry("total_snapshot", documents);
    }

    private void awaitTotals(long snapshot, CountedWorkload.Counts changes) {
        Eventually.within(TIMEOUT, () -> {
            Map<String, Long> totals = totals("orders", 7);
            assertThat(totals).as("totals").containsEntry("total_snapshot", snapshot)
                .containsEntry("total_inserts", changes.inserts())
                .containsEntry("total_updates", changes.updates())
                .containsEntry("total_replaces", changes.replaces())
                .containsEntry("total_deletes", changes.deletes());
        });
    }

    @Test
    void everyRowOfASnapshotAndOfItsChangesIsCountedOnceAndTheLoadIsDoneWithAllItsRows() throws Exception {
        MixedWorkload.insertInitial(orders, 3_000);
        long startAt = StartPosition.capture(client).getValue();

        JobClient job = start(spec(clickHouse.url(), startAt, plainTable()), new Configuration());
        try {
            awaitLoaded(3_000);
            CountedWorkload.Counts changes = new CountedWorkload(orders, 1, 3_000).run(300, 300, 100, 200);
            awaitTotals(3_000, changes);
            Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, database, "orders", orders));
        } finally {
            job.cancel().get();
        }
        Map<String, Long> totals = totals("orders", 7);
        assertThat(totals.get("load_ranges")).as("ranges of the load").isGreaterThan(1);
        assertThat(totals.get("total_bytes")).isPositive();
        assertThat(clickHouse.http().value("SELECT countIf(checkpoint_id = 0 OR job_id = '' OR write_ms < 0) FROM `"
            + database + "`.sync_log")).isEqualTo("0");
    }

    @Test
    void aLoadIsDoneOnlyOnceEveryRowOfItIsCounted() throws Exception {
        // every batch read from slow.orders takes 300 ms: the load spans many syncs
        try (ReplicaSetEmulator slow = ReplicaSetEmulator.builder().readLatency("slow.orders", Duration.ofMillis(300))
                 .start();
             MongoClient slowClient = MongoClients.create(slow.connectionString())) {
            orders = slowClient.getDatabase("slow").getCollection("orders");
            MixedWorkload.insertInitial(orders, 4_000);
            long startAt = StartPosition.capture(slowClient).getValue();
            JobSpec spec = spec(slow.connectionString(), clickHouse.url(), startAt, plainTable(), 500);

            JobClient job = start(spec, new Configuration());
            try {
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                boolean done = false;
                int readingsWhileLoading = 0;
                while (!done && System.nanoTime() < deadline) {
                    Map<String, Long> totals = totals("orders", 7);
                    done = totals.getOrDefault("load_ranges", 0L) > 0
                        && totals.get("total_ranges_done").equals(totals.get("load_ranges"));
                    if (done) {
                        assertThat(totals).as("the load's totals once done").containsEntry("total_snapshot", 4_000L);
                    } else if (totals.getOrDefault("total_snapshot", 0L) > 0) {
                        readingsWhileLoading++;
                    }
                    Thread.sleep(20);
                }
                assertThat(done).as("the load ended").isTrue();
                assertThat(readingsWhileLoading).as("readings of a load under way").isPositive();
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void aJobThatFailsAndRestartsWhileItsDestinationIsDownCountsEveryChangeOnce() throws Exception {
        MixedWorkload.insertInitial(orders, 2_000);
        long startAt = StartPosition.capture(client).getValue();
        JobSpec.Table table = plainTable();
        try (TcpProxy proxy = TcpProxy.to(clickHouse.httpPort())) {
            JobClient job = start(spec("http://127.0.0.1:" + proxy.port(), startAt, table), new Configuration());
            try {
                awaitLoaded(2_000);
                CountedWorkload workload = new CountedWorkload(orders, 2, 2_000);
                CountedWorkload.Counts changes = workload.run(200, 200, 50, 100);
                awaitTotals(2_000, changes);
                changes = changes.plus(workload.run(100, 100, 30, 50));
                proxy.cut();
                changes = changes.plus(workload.run(100, 100, 30, 50));
                // inserts fail for longer than the writer's retries: the job fails and restarts from its last
                // checkpoint, replaying what it had read since, and commits what it had not committed again
                Thread.sleep(6_000);
                proxy.restore();
                changes = changes.plus(workload.run(50, 50, 10, 20));
                awaitTotals(2_000, changes);
                Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, database, "orders", orders));
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void aJobRestoredFromItsCheckpointCountsEveryChangeOnce(@TempDir Path checkpoints) throws Exception {
        MixedWorkload.insertInitial(orders, 2_000);
        long startAt = StartPosition.capture(client).getValue();
        JobSpec spec = spec(clickHouse.url(), startAt, plainTable());
        Configuration retained = new Configuration();
        retained.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        retained.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
            ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        CountedWorkload workload = new CountedWorkload(orders, 3, 2_000);

        JobClient first = start(spec, retained);
        awaitLoaded(2_000);
        CountedWorkload.Counts changes = workload.run(200, 200, 50, 100);
        awaitTotals(2_000, changes);
        first.cancel().get();
        Path checkpoint = RetainedCheckpoints.latest(checkpoints);
        changes = changes.plus(workload.run(100, 100, 20, 40));

        Configuration restore = new Configuration(retained);
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toString());
        JobClient second = start(spec, restore);
        try {
            awaitTotals(2_000, changes);
        } finally {
            second.cancel().get();
        }
    }

    @Test
    void aTableWhoseKeyMovesIsDoneOnceEveryWriterHasCountedEachRangesEnd() throws Exception {
        clickHouse.http().execute(new TableLayout("String", "DateTime", List.of(new TableLayout.Column("qty",
            "Int64")), List.of("qty", "_id"), "", Map.of()).createStatement(database, "orders"));
        JobSpec.Table table = new JobSpec.Table(orders.getNamespace().getDatabaseName(), "orders", "orders")
            .withColumns(List.of(new JobSpec.Column("qty", "qty", "Int64")), List.of("qty")).withLoadId(7);
        MixedWorkload.insertInitial(orders, 3_000);
        long startAt = StartPosition.capture(client).getValue();

        JobClient job = start(spec(clickHouse.url(), startAt, table), new Configuration());
        try {
            awaitLoaded(3_000);
            assertThat(totals("orders", 7).get("load_ranges")).as("each range once per writer").isEven();
            CountedWorkload.Counts changes = new CountedWorkload(orders, 4, 3_000).run(100, 100, 0, 50);
            awaitTotals(3_000, changes);
        } finally {
            job.cancel().get();
        }
    }
}
