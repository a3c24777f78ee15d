package dev.ferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

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

/**
 * The pipe's Flink job on a real MiniCluster, reading the MongoDB emulator over TCP and writing a real ClickHouse:
 * after every scenario, the table ({@code FINAL}, not deleted) equals the collection document by document.
 */
@ExtendWith(ClickHouseExtension.class)
class FerryJobTest {

    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(90);

    private static ReplicaSetEmulator emulator;
    private static MongoClient client;
    private final ClickHouseServer clickHouse;
    private String database;
    private MongoCollection<Document> orders;

    FerryJobTest(ClickHouseServer clickHouse) {
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
    void freshCollectionAndTable() {
        database = clickHouse.createDatabase("job");
        orders = client.getDatabase("shop_" + UUID.randomUUID().toString().substring(0, 8)).getCollection("orders");
        clickHouse.http().execute(TableLayout.plain("String", "DateTime").createStatement(database, "orders"));
        syncLog().createStatements(0).forEach(clickHouse.http()::execute);
    }

    private SyncLogTable syncLog() {
        return new SyncLogTable(database, "sync_log");
    }

    private JobSpec spec(long startAt) {
        return spec(startAt, JobSpec.Snapshot.DEFAULT);
    }

    private JobSpec spec(long startAt, JobSpec.Snapshot snapshot) {
        return spec(startAt, snapshot, List.of(orders));
    }

    private JobSpec spec(long startAt, JobSpec.Snapshot snapshot, List<MongoCollection<Document>> collections) {
        return spec(emulator.connectionString(), startAt, snapshot, collections);
    }

    private JobSpec spec(String mongoUri, long startAt, JobSpec.Snapshot snapshot,
                         List<MongoCollection<Document>> collections) {
        List<JobSpec.Table> tables = collections.stream().map(collection -> new JobSpec.Table(
            collection.getNamespace().getDatabaseName(), collection.getNamespace().getCollectionName(),
            collection.getNamespace().getCollectionName())).toList();
        return new JobSpec("p1", "test", new JobSpec.Source(mongoUri, null, null, Secret.NONE),
            new JobSpec.Destination(clickHouse.url(), database, "", Secret.NONE, false, false), tables, JobSpec.Mode.CDC,
            1000, 1, snapshot, startAt, "", null, syncLog());
    }

    private static JobClient start(JobSpec spec, Configuration extra) throws Exception {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(500));
        conf.addAll(extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        FerryJob.build(env, spec);
        return env.executeAsync("ferry test");
    }

    private void awaitTableEqualsCollection() {
        Eventually.within(SYNC_TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, database, "orders", orders));
    }

    @Test
    void aSnapshotOfTenThousandDocumentsThenAThousandMixedChangesEndEqual() throws Exception {
        MixedWorkload.insertInitial(orders, 10_000);
        long startAt = StartPosition.capture(client).getValue();

        JobClient job = start(spec(startAt), new Configuration());
        try {
            awaitTableEqualsCollection();
            new MixedWorkload(orders, 42, 10_000).run(1_000);
            awaitTableEqualsCollection();
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aCollectionInManyRangesIsLoadedWholeByParallelReaders() throws Exception {
        MixedWorkload.insertInitial(orders, 6_000);
        long startAt = StartPosition.capture(client).getValue();

        JobClient job = start(spec(startAt, new JobSpec.Snapshot(1, 3, 1_000)), new Configuration());
        try {
            awaitTableEqualsCollection();
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void documentsWithIdsOfEveryTypeAreAllLoaded() throws Exception {
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Object id = switch (i % 6) {
                case 0 -> i;
                case 1 -> (long) i << 40;
                case 2 -> i + 0.5;
                case 3 -> "id-" + i;
                case 4 -> new ObjectId();
                default -> new Document("k", i).append("s", "x");
            };
            documents.add(new Document("_id", id).append("n", i));
        }
        orders.insertMany(documents);
        long startAt = StartPosition.capture(client).getValue();

        JobClient job = start(spec(startAt, new JobSpec.Snapshot(1, 2, 1_000)), new Configuration());
        try {
            awaitTableEqualsCollection();
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void collectionsLoadedOneAfterTheOtherAllEndEqual() throws Exception {
        MongoCollection<Document> items = client.getDatabase(orders.getNamespace().getDatabaseName())
            .getCollection("items");
        clickHouse.http().execute(TableLayout.plain("String", "DateTime").createStatement(database, "items"));
        MixedWorkload.insertInitial(orders, 3_000);
        MixedWorkload.insertInitial(items, 2_000);
        long startAt = StartPosition.capture(client).getValue();

        JobClient job = start(spec(startAt, new JobSpec.Snapshot(1, 2, 1_000), List.of(orders, items)),
            new Configuration());
        try {
            awaitTableEqualsCollection();
            Eventually.within(SYNC_TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, database, "items", items));
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void aSnapshotStoppedHalfWayGoesOnAfterItsLastIdThoughDocumentsBeforeItWereDeleted(@TempDir Path checkpoints)
        throws Exception {
        // every batch read from slow.orders takes 50 ms: the first checkpoints come while the snapshot is half-way
        try (ReplicaSetEmulator slow = ReplicaSetEmulator.builder().readLatency("slow.orders", Duration.ofMillis(50))
                 .start();
             MongoClient slowClient = MongoClients.create(slow.connectionString())) {
            orders = slowClient.getDatabase("slow").getCollection("orders");
            MixedWorkload.insertInitial(orders, 20_000);
            long startAt = StartPosition.capture(slowClient).getValue();
            Configuration retained = new Configuration();
            retained.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
            retained.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            retained.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
            JobSpec spec = spec(slow.connectionString(), startAt, new JobSpec.Snapshot(1, 1, 5_000), List.of(orders));

            JobClient first = start(spec, retained);
            Eventually.within(SYNC_TIMEOUT, () -> assertThat(rows()).isGreaterThan(2_000));
            first.cancel().get();
            Path checkpoint = RetainedCheckpoints.latest(checkpoints);
            assertThat(rows()).as("stopped before the snapshot was through").isLessThan(20_000);
            orders.deleteMany(Filters.lt("_id", 3_000));
            new MixedWorkload(orders, 3, 30_000).run(500);

            Configuration restore = new Configuration(retained);
            restore.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toString());
            JobClient second = start(spec, restore);
            try {
                awaitTableEqualsCollection();
            } finally {
                second.cancel().get();
            }
        }
    }

    @Test
    void writesDuringTheSnapshotAreNotLost() throws Exception {
        MixedWorkload.insertInitial(orders, 5_000);
        long startAt = StartPosition.capture(client).getValue();

        JobClient job = start(spec(startAt), new Configuration());
        try {
            new MixedWorkload(orders, 7, 5_000).run(1_000);
            awaitTableEqualsCollection();
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void restartingFromTheLatestCheckpointReplaysWithoutChangingTheResult(@TempDir Path checkpoints)
        throws Exception {
        // merges would fold rows together and hide a second snapshot from the count below
        clickHouse.http().execute("SYSTEM STOP MERGES `" + database + "`.orders");
        MixedWorkload.insertInitial(orders, 2_000);
        long startAt = StartPosition.capture(client).getValue();
        Configuration retained = new Configuration();
        retained.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        retained.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
            org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);

        JobClient first = start(spec(startAt), retained);
        new MixedWorkload(orders, 1, 2_000).run(300);
        awaitTableEqualsCollection();
        Thread.sleep(1_500);
        first.cancel().get();
        Path checkpoint = RetainedCheckpoints.latest(checkpoints);

        new MixedWorkload(orders, 2, 5_000).run(300);
        Configuration restore = new Configuration(retained);
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toString());
        JobClient second = start(spec(startAt), restore);
        try {
            awaitTableEqualsCollection();
        } finally {
            second.cancel().get();
        }
        assertThat(repeatedSnapshotRows()).as("the restored job does not snapshot again").isZero();
    }

    private long rows() {
        return Long.parseLong(clickHouse.http().value("SELECT count() FROM `" + database + "`.orders"));
    }

    /** Snapshot rows beyond one per document (merges stopped): a second snapshot would repeat them all. */
    private long repeatedSnapshotRows() {
        return Long.parseLong(clickHouse.http().value("SELECT count() - uniqExact(_id) FROM `" + database
            + "`.orders WHERE _peerdb_version = (SELECT min(_peerdb_version) FROM `" + database + "`.orders)"));
    }
}
