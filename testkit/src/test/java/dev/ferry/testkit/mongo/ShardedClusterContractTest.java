package dev.ferry.testkit.mongo;

import static dev.ferry.testkit.mongo.EventReader.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoException;
import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.connection.ClusterType;

/**
 * The emulated sharded cluster answers through its router as the MongoDB manual describes {@code mongos}: each test
 * names the manual page it follows. The shards are read directly, as their own replica sets, to see where
 * documents are.
 */
class ShardedClusterContractTest {

    private static final Duration NOOP = Duration.ofSeconds(2);
    private static ShardedClusterEmulator cluster;
    private static MongoClient client;
    private static final List<MongoClient> shards = new ArrayList<>();

    @BeforeAll
    static void start() {
        cluster = ShardedClusterEmulator.builder().shards(2).noopInterval(NOOP).start();
        client = MongoClients.create(cluster.connectionString());
        for (int i = 0; i < cluster.shardCount(); i++) {
            shards.add(MongoClients.create(cluster.shardConnectionString(i)));
        }
    }

    @AfterAll
    static void stop() {
        shards.forEach(MongoClient::close);
        client.close();
        cluster.close();
    }

    private static String database() {
        return "sharded_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Document admin(Document command) {
        return client.getDatabase("admin").runCommand(command);
    }

    /** A collection sharded on a hashed {@code _id}, empty: its chunks are spread over the shards. */
    private static MongoCollection<Document> hashed(String db, String collection) {
        admin(new Document("enableSharding", db));
        admin(new Document("shardCollection", db + "." + collection).append("key", new Document("_id", "hashed")));
        return client.getDatabase(db).getCollection(collection);
    }

    private static long onShard(int shard, String db, String collection) {
        return shards.get(shard).getDatabase(db).getCollection(collection).countDocuments();
    }

    private static void insert(MongoCollection<Document> collection, int from, int to) {
        List<Document> documents = new ArrayList<>();
        for (int i = from; i < to; i++) {
            documents.add(new Document("_id", i).append("n", i));
        }
        collection.insertMany(documents);
    }

    /** hello: "msg: Contains the value isdbgrid when hello returns from a mongos instance." */
    @Test
    void helloAnswersAsARouterAndTheDriverSeesAShardedCluster() {
        Document hello = admin(new Document("hello", 1));
        client.getDatabase("topology").getCollection("c").insertOne(new Document("x", 1));

        assertThat(hello.getString("msg")).isEqualTo("isdbgrid");
        assertThat(hello.containsKey("setName")).isFalse();
        assertThat(client.getClusterDescription().getType()).isEqualTo(ClusterType.SHARDED);
    }

    /** listShards: "Returns a list of the configured shards", each with its replica set's host string. */
    @Test
    void listShardsNamesEveryShardAndItsReplicaSet() {
        List<Document> listed = admin(new Document("listShards", 1)).getList("shards", Document.class);

        assertThat(listed).extracting(shard -> shard.getString("_id")).containsExactly("shard0", "shard1");
        assertThat(listed.get(1).getString("host")).startsWith("shard1/127.0.0.1:");
    }

    /**
     * shardCollection: sharding an empty collection on a hashed key creates chunks (two per shard) spread over the
     * shards; config.collections holds the key and the collection's uuid, config.chunks (5.0: by uuid) each range.
     */
    @Test
    void aHashedKeyOnAnEmptyCollectionMakesChunksOnEveryShardListedInTheConfigDatabase() {
        String db = database();
        hashed(db, "orders");
        MongoClient config = client;

        Document collection = config.getDatabase("config").getCollection("collections")
            .find(Filters.eq("_id", db + ".orders")).first();
        List<Document> chunks = config.getDatabase("config").getCollection("chunks")
            .find(Filters.eq("uuid", collection.get("uuid"))).sort(Sorts.ascending("min")).into(new ArrayList<>());

        assertThat(collection.get("key", Document.class)).isEqualTo(new Document("_id", "hashed"));
        assertThat(chunks).hasSize(4);
        assertThat(chunks).extracting(chunk -> chunk.getString("shard")).containsOnly("shard0", "shard1");
        assertThat(chunks.get(0).get("min", Document.class).get("_id")).isInstanceOf(org.bson.types.MinKey.class);
    }

    /** Sharded Cluster Query Routing: a write goes to the shard whose chunk holds its shard key. */
    @Test
    void writesGoToTheShardsTheirKeysBelongTo() {
        String db = database();
        MongoCollection<Document> orders = hashed(db, "orders");

        insert(orders, 0, 400);

        assertThat(onShard(0, db, "orders")).isPositive();
        assertThat(onShard(1, db, "orders")).isPositive();
        assertThat(onShard(0, db, "orders") + onShard(1, db, "orders")).isEqualTo(400);
        assertThat(orders.find(Filters.eq("_id", 123)).first()).containsEntry("n", 123);
    }

    /** Primary Shard: "each database has a primary shard that holds all the un-sharded collections". */
    @Test
    void anUnshardedCollectionLivesOnItsDatabasesPrimaryShard() {
        String db = database();
        admin(new Document("enableSharding", db).append("primaryShard", "shard1"));

        insert(client.getDatabase(db).getCollection("notes"), 0, 10);

        assertThat(onShard(1, db, "notes")).isEqualTo(10);
        assertThat(onShard(0, db, "notes")).isZero();
        assertThat(client.getDatabase("config").getCollection("databases").find(Filters.eq("_id", db)).first())
            .containsEntry("primary", "shard1");
    }

    /** cursor.min()/max() with hint: the index range of every shard, gathered in index order. */
    @Test
    void aFindOfAnIdRangeGathersEveryShardsDocumentsInIdOrder() {
        String db = database();
        MongoCollection<Document> orders = hashed(db, "orders");
        insert(orders, 0, 300);

        List<Integer> ids = new ArrayList<>();
        orders.find().min(new Document("_id", 100)).max(new Document("_id", 200)).hint(new Document("_id", 1))
            .batchSize(30).forEach(document -> ids.add(document.getInteger("_id")));

        assertThat(ids).hasSize(100).isSorted().startsWith(100).endsWith(199);
    }

    /** count and estimatedDocumentCount: the shards' counts added up. */
    @Test
    void countsAddUpTheShards() {
        String db = database();
        MongoCollection<Document> orders = hashed(db, "orders");
        insert(orders, 0, 250);

        assertThat(orders.estimatedDocumentCount()).isEqualTo(250);
        assertThat(orders.countDocuments(Filters.lt("_id", 50))).isEqualTo(50);
    }

    /** $sample through mongos: documents drawn from every shard. */
    @Test
    void aSampleDrawsFromEveryShard() {
        String db = database();
        MongoCollection<Document> orders = hashed(db, "orders");
        insert(orders, 0, 200);

        List<Document> sampled = orders.aggregate(List.of(new Document("$sample", new Document("size", 150)),
            new Document("$sort", new Document("_id", 1)))).into(new ArrayList<>());

        assertThat(sampled).hasSize(150);
        assertThat(new HashSet<>(sampled)).hasSize(150);
    }

    /**
     * Change Streams on Sharded Clusters: "mongos ... merges the change streams of each shard", events in cluster
     * time order; a sharded collection's documentKey holds the shard key and _id.
     */
    @Test
    void aStreamThroughTheRouterMergesEveryShardsEventsInClusterTimeOrderWithTheShardKeyInDocumentKey() {
        String db = database();
        admin(new Document("enableSharding", db));
        admin(new Document("shardCollection", db + ".orders").append("key", new Document("customer", "hashed")));
        MongoCollection<Document> orders = client.getDatabase(db).getCollection("orders");
        try (MongoCursor<ChangeStreamDocument<Document>> stream = orders.watch().cursor()) {
            for (int i = 0; i < 40; i++) {
                orders.insertOne(new Document("_id", i).append("customer", "c" + i));
            }
            List<ChangeStreamDocument<Document>> events = take(stream, 40);

            assertThat(events).extracting(event -> event.getDocumentKey().getInt32("_id").getValue())
                .isEqualTo(java.util.stream.IntStream.range(0, 40).boxed().toList());
            assertThat(events).extracting(ChangeStreamDocument::getClusterTime).isSorted();
            assertThat(events.get(7).getDocumentKey().keySet()).containsExactly("customer", "_id");
            assertThat(onShard(0, db, "orders")).isPositive();
            assertThat(onShard(1, db, "orders")).isPositive();
        }
    }

    /** Resume a Change Stream: a token the router gave resumes every shard's stream after it. */
    @Test
    void aStreamResumesThroughTheRouterAfterAnEventsToken() {
        String db = database();
        MongoCollection<Document> orders = hashed(db, "orders");
        List<ChangeStreamDocument<Document>> first;
        try (MongoCursor<ChangeStreamDocument<Document>> stream = orders.watch().cursor()) {
            insert(orders, 0, 20);
            first = take(stream, 20);
        }
        try (MongoCursor<ChangeStreamDocument<Document>> resumed = orders.watch()
                 .resumeAfter(first.get(9).getResumeToken()).cursor()) {
            assertThat(take(resumed, 10)).extracting(ChangeStreamDocument::getDocumentKey)
                .isEqualTo(first.subList(10, 20).stream().map(ChangeStreamDocument::getDocumentKey).toList());
        }
    }

    /**
     * split and moveChunk move a chunk's documents to another shard; Change Events: migrations' writes are marked
     * fromMigrate, which change streams through mongos do not show.
     */
    @Test
    void aChunkMovesToAnotherShardWithoutAChangeEvent() {
        String db = database();
        admin(new Document("enableSharding", db).append("primaryShard", "shard0"));
        admin(new Document("shardCollection", db + ".orders").append("key", new Document("_id", 1)));
        MongoCollection<Document> orders = client.getDatabase(db).getCollection("orders");
        insert(orders, 0, 100);
        admin(new Document("split", db + ".orders").append("middle", new Document("_id", 50)));
        try (MongoCursor<ChangeStreamDocument<Document>> stream = orders.watch().cursor()) {
            admin(new Document("moveChunk", db + ".orders").append("find", new Document("_id", 70))
                .append("to", "shard1"));
            orders.insertOne(new Document("_id", 1000));

            assertThat(take(stream, 1)).singleElement().satisfies(event -> assertThat(event.getDocumentKey()
                .getInt32("_id").getValue()).isEqualTo(1000));
        }
        assertThat(onShard(1, db, "orders")).isEqualTo(51);
        assertThat(onShard(0, db, "orders")).isEqualTo(50);
        assertThat(orders.countDocuments()).isEqualTo(101);
    }

    /**
     * Transactions and change streams: a transaction's events share its commit's cluster time; one that wrote on
     * two shards shows all its events, from both.
     */
    @Test
    void aTransactionAcrossShardsArrivesWholeAtOneClusterTime() {
        String db = database();
        admin(new Document("enableSharding", db).append("primaryShard", "shard0"));
        admin(new Document("shardCollection", db + ".orders").append("key", new Document("_id", 1)));
        MongoCollection<Document> orders = client.getDatabase(db).getCollection("orders");
        insert(orders, 0, 10);
        admin(new Document("split", db + ".orders").append("middle", new Document("_id", 5)));
        admin(new Document("moveChunk", db + ".orders").append("find", new Document("_id", 7)).append("to", "shard1"));
        try (MongoCursor<ChangeStreamDocument<Document>> stream = orders.watch().cursor();
             ClientSession session = client.startSession()) {
            session.startTransaction();
            orders.updateOne(session, Filters.eq("_id", 2), new Document("$set", new Document("t", 1)));
            orders.updateOne(session, Filters.eq("_id", 8), new Document("$set", new Document("t", 1)));
            orders.insertOne(session, new Document("_id", 9000));
            session.commitTransaction();

            List<ChangeStreamDocument<Document>> events = take(stream, 3);

            assertThat(events).extracting(event -> event.getDocumentKey().get("_id").asNumber().intValue())
                .containsExactlyInAnyOrder(2, 8, 9000);
            BsonTimestamp commit = events.get(0).getClusterTime();
            assertThat(events).allSatisfy(event -> assertThat(event.getClusterTime()).isEqualTo(commit));
        }
    }

    /**
     * Change Streams on Sharded Clusters: "if a shard has no writes, mongos waits ... the periodic no-op writes
     * (periodicNoopIntervalSecs) keep the stream moving": a write to one shard shows within the no-op interval.
     */
    @Test
    void anIdleShardHoldsTheStreamBackNoLongerThanTheNoOpInterval() {
        String db = database();
        admin(new Document("enableSharding", db).append("primaryShard", "shard1"));
        MongoCollection<Document> notes = client.getDatabase(db).getCollection("notes");
        try (MongoCursor<ChangeStreamDocument<Document>> stream = notes.watch().maxAwaitTime(200,
            TimeUnit.MILLISECONDS).cursor()) {
            long written = System.nanoTime();
            notes.insertOne(new Document("_id", 1));

            take(stream, 1);

            assertThat(Duration.ofNanos(System.nanoTime() - written)).isLessThan(NOOP.plusSeconds(2));
        }
    }

    /** mongos fails a change stream when a shard it reads does not answer. */
    @Test
    void aShardThatDoesNotAnswerFailsTheStream() {
        String db = database();
        MongoCollection<Document> orders = hashed(db, "orders");
        try (MongoCursor<ChangeStreamDocument<Document>> stream = orders.watch().maxAwaitTime(200,
            TimeUnit.MILLISECONDS).cursor()) {
            cluster.stopShard(1);
            try {
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 20; i++) {
                        stream.tryNext();
                    }
                }).isInstanceOf(MongoException.class).hasMessageContaining("shard1");
            } finally {
                cluster.startShard(1);
            }
        }
        insert(orders, 0, 5);
        assertThat(orders.countDocuments()).isEqualTo(5);
    }
}
