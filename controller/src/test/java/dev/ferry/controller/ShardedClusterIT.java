package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.bson.BsonInt32;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import dev.ferry.common.Eventually;
import dev.ferry.common.MixedWorkload;
import dev.ferry.common.encoding.DocumentIds;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ShardedClusterEmulator;

/**
 * ferry end to end on a sharded cluster of two shards, through its router: snapshots of sharded and unsharded
 * collections, changes from both shards, chunk migrations, transactions across shards, an idle shard, pauses,
 * a controller restart and a shard that stops answering; each time the tables equal the collections.
 */
@ExtendWith(ClickHouseExtension.class)
class ShardedClusterIT {

    /** The shards' periodic no-op interval: how long an idle shard may hold the merged stream back. */
    private static final Duration NOOP = Duration.ofSeconds(2);
    private static final int SYNC_SECONDS = 1;

    @TempDir
    static Path dataDirectory;
    static ShardedClusterEmulator cluster;
    static MongoClient mongo;
    static Controller controller;
    static RestApi api;

    @BeforeAll
    static void start() throws Exception {
        cluster = ShardedClusterEmulator.builder().shards(2).noopInterval(NOOP).start();
        mongo = MongoClients.create(cluster.connectionString());
        controller = TestControllers.start(dataDirectory);
        api = new RestApi(controller.url());
    }

    @AfterAll
    static void stop() throws Exception {
        controller.close();
        mongo.close();
        cluster.close();
    }

    private static String database(String prefix) {
        return "shard_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Document admin(Document command) {
        return mongo.getDatabase("admin").runCommand(command);
    }

    /** {@code db.orders} sharded on a hashed {@code _id} (spread over both shards), {@code db} on shard0. */
    private static MongoCollection<Document> hashedOrders(String db) {
        admin(new Document("enableSharding", db).append("primaryShard", "shard0"));
        admin(new Document("shardCollection", db + ".orders").append("key", new Document("_id", "hashed")));
        return mongo.getDatabase(db).getCollection("orders");
    }

    /**
     * {@code db.orders} sharded on ranges of {@code _id}, filled with {@code count} documents and split at
     * {@code middle}: the upper chunk moved to shard1, the lower left on shard0.
     */
    private static MongoCollection<Document> rangeOrders(String db, int count, int middle) {
        admin(new Document("enableSharding", db).append("primaryShard", "shard0"));
        admin(new Document("shardCollection", db + ".orders").append("key", new Document("_id", 1)));
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        insert(orders, 0, count);
        admin(new Document("split", db + ".orders").append("middle", new Document("_id", middle)));
        return orders;
    }

    private static void moveUpperChunk(String db, int middle) {
        admin(new Document("moveChunk", db + ".orders").append("find", new Document("_id", middle))
            .append("to", "shard1"));
    }

    private static String pipe(ClickHouseServer clickHouse, String db, List<String> collections, String settings) {
        String id = Pipes.create(api, Pipes.request(db, cluster.connectionString(), clickHouse.url(), db, db,
            collections, settings));
        Pipes.awaitState(api, id, "Running");
        return id;
    }

    private static void insert(MongoCollection<Document> collection, int from, int to) {
        List<Document> batch = new ArrayList<>();
        for (int i = from; i < to; i++) {
            batch.add(new Document("_id", i).append("name", "doc-" + i).append("qty", i % 100));
            if (batch.size() == 2_000) {
                collection.insertMany(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            collection.insertMany(batch);
        }
    }

    @Test
    void aHashedShardedCollectionAndAnUnshardedOneLoadAndFollowWritesOnBothShards(ClickHouseServer clickHouse) {
        String db = database("load");
        MongoCollection<Document> orders = hashedOrders(db);
        MongoCollection<Document> notes = mongo.getDatabase(db).getCollection("notes");
        insert(orders, 0, 100_000);
        insert(notes, 0, 500);
        String id = Pipes.create(api, Pipes.request(db, cluster.connectionString(), clickHouse.url(), db, db,
            List.of("orders", "notes"), "{\"syncIntervalSeconds\": 1, \"snapshotNumRowsPerPartition\": 20000}"));

        // written while the snapshot loads, on both shards
        new MixedWorkload(orders, 31, 100_000).run(300);
        new MixedWorkload(notes, 32, 500).run(50);
        Pipes.awaitState(api, id, "Running");
        new MixedWorkload(orders, 33, 200_000).run(300);

        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        Pipes.awaitEqual(clickHouse, db, "notes", notes);
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void aChunkMovedWhileChangesReplicateLeavesNoRowDeletedOrDoubled(ClickHouseServer clickHouse) {
        String db = database("migrate");
        MongoCollection<Document> orders = rangeOrders(db, 2_000, 1_000);
        String id = pipe(clickHouse, db, List.of("orders"), "{\"syncIntervalSeconds\": 1}");

        for (int i = 0; i < 200; i++) {
            orders.updateOne(Filters.eq("_id", i * 9), Updates.set("qty", -i));
            if (i == 100) {
                moveUpperChunk(db, 1_000);
            }
        }
        insert(orders, 2_000, 2_100);

        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        assertThat(clickHouse.http().value("SELECT count() FROM " + db + ".orders WHERE _peerdb_is_deleted = 1"))
            .as("rows marked deleted: a migration's writes are no changes").isEqualTo("0");
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void aTransactionAcrossBothShardsArrivesWhole(ClickHouseServer clickHouse) {
        String db = database("txn");
        MongoCollection<Document> orders = rangeOrders(db, 100, 50);
        moveUpperChunk(db, 50);
        String id = pipe(clickHouse, db, List.of("orders"), "{\"syncIntervalSeconds\": 1}");

        try (ClientSession session = mongo.startSession()) {
            session.startTransaction();
            orders.updateOne(session, Filters.eq("_id", 10), Updates.set("paid", true));
            orders.updateOne(session, Filters.eq("_id", 80), Updates.set("paid", true));
            orders.insertOne(session, new Document("_id", 500).append("paid", true));
            orders.deleteOne(session, Filters.eq("_id", 90));
            session.commitTransaction();
        }

        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        String ids = String.join(", ", List.of(10, 80, 500, 90).stream()
            .map(value -> "'" + DocumentIds.toColumn(new BsonInt32(value)) + "'").toList());
        // a version is the change's cluster time, then its index among the changes of that time (10 bits)
        assertThat(clickHouse.http().value("SELECT uniqExact(intDiv(_peerdb_version, 1024)), count() FROM " + db
            + ".orders WHERE _id IN (" + ids + ") AND _peerdb_version > (SELECT min(_peerdb_version) FROM " + db
            + ".orders)")).as("one commit time for the four changes").isEqualTo("1\t4");
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void anIdleShardKeepsChangesOnTheOtherWithinTheSyncIntervalAndTheNoOpInterval(ClickHouseServer clickHouse)
        throws Exception {
        String db = database("idle");
        admin(new Document("enableSharding", db).append("primaryShard", "shard1"));
        MongoCollection<Document> notes = mongo.getDatabase(db).getCollection("notes");
        insert(notes, 0, 10);
        String id = pipe(clickHouse, db, List.of("notes"), "{\"syncIntervalSeconds\": " + SYNC_SECONDS + "}");

        long slowest = 0;
        for (int i = 0; i < 6; i++) {
            Thread.sleep(700);
            long written = System.nanoTime();
            notes.insertOne(new Document("_id", 1_000 + i));
            String wanted = "SELECT count() FROM " + db + ".notes WHERE _id = '" + (1_000 + i) + "'";
            Eventually.within(Duration.ofSeconds(30), () -> assertThat(clickHouse.http().value(wanted))
                .isEqualTo("1"));
            slowest = Math.max(slowest, (System.nanoTime() - written) / 1_000_000);
        }

        // shard0 takes no writes: its no-op writes alone let the merged stream pass the writes on shard1
        assertThat(slowest).as("the slowest write's way to ClickHouse, ms")
            .isLessThan(Duration.ofSeconds(SYNC_SECONDS).plus(NOOP).plusSeconds(2).toMillis());
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void pauseResumeAndAControllerRestartGoOnFromTheRightPositionOnBothShards(ClickHouseServer clickHouse)
        throws Exception {
        String db = database("resume");
        MongoCollection<Document> orders = hashedOrders(db);
        insert(orders, 0, 1_000);
        String id = pipe(clickHouse, db, List.of("orders"), "{\"syncIntervalSeconds\": 1}");
        clickHouse.http().execute("SYSTEM STOP MERGES " + db + ".orders");

        api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"pause\"}");
        Pipes.awaitState(api, id, "Paused");
        new MixedWorkload(orders, 41, 10_000).run(200);
        api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resume\"}");
        Pipes.awaitState(api, id, "Running");
        Pipes.awaitEqual(clickHouse, db, "orders", orders);

        // the embedded cluster checkpoints every few seconds: let one hold the position before the restart
        Thread.sleep(12_000);
        controller.close();
        new MixedWorkload(orders, 42, 20_000).run(200);
        controller = TestControllers.start(dataDirectory);
        api = new RestApi(controller.url());

        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        assertThat(clickHouse.http().value("SELECT count() - uniqExact(_id) FROM " + db + ".orders WHERE "
            + "_peerdb_version = (SELECT min(_peerdb_version) FROM " + db + ".orders)")).as("no second snapshot")
            .isEqualTo("0");
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void aShardDownForHalfAMinuteMakesThePipeDegradedThenRunningWithEverythingEqual(ClickHouseServer clickHouse) {
        String db = database("down");
        MongoCollection<Document> orders = hashedOrders(db);
        MongoCollection<Document> notes = mongo.getDatabase(db).getCollection("notes");
        insert(orders, 0, 500);
        insert(notes, 0, 100);
        String id = pipe(clickHouse, db, List.of("orders", "notes"), "{\"syncIntervalSeconds\": 1}");

        long down = System.nanoTime();
        cluster.stopShard(1);
        try {
            // shard0 still takes the writes of its database's unsharded collection
            insert(notes, 100, 200);
            Pipes.awaitState(api, id, "Degraded");
            Eventually.within(Duration.ofSeconds(60), () -> assertThat(System.nanoTime() - down)
                .isGreaterThan(Duration.ofSeconds(30).toNanos()));
        } finally {
            cluster.startShard(1);
        }
        new MixedWorkload(orders, 51, 5_000).run(100);

        Pipes.awaitState(api, id, "Running");
        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        Pipes.awaitEqual(clickHouse, db, "notes", notes);
        assertThat(Pipes.history(api, id)).containsSubsequence("Running", "Degraded", "Running");
        api.delete("/v1/pipes/" + id);
    }
}
