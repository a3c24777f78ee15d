package dev.ferry.job.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonInt32;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.ferry.testkit.mongo.ShardedClusterEmulator;

/** A sharded collection's snapshot ranges, through the router of the emulated sharded cluster. */
class ChunkPartitionerTest {

    private static ShardedClusterEmulator cluster;
    private static MongoClient client;

    @BeforeAll
    static void start() {
        cluster = ShardedClusterEmulator.start();
        client = MongoClients.create(cluster.connectionString());
    }

    @AfterAll
    static void stop() {
        client.close();
        cluster.close();
    }

    private static Document admin(Document command) {
        return client.getDatabase("admin").runCommand(command);
    }

    private static void fill(String db, String collection, int count) {
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            documents.add(new Document("_id", i));
        }
        client.getDatabase(db).getCollection(collection).insertMany(documents);
    }

    private static List<SnapshotSplit> split(String db, String collection) {
        MongoClient own = MongoClients.create(cluster.connectionString());
        try (ChunkPartitioner partitioner = new ChunkPartitioner(own, new SamplePartitioner(own, 1_000))) {
            return partitioner.split(new SnapshotLoad(db + "." + collection + "@1", db, collection, collection, 1));
        }
    }

    @Test
    void aCollectionShardedOnRangesOfIdIsSplitAlongItsChunks() {
        admin(new Document("enableSharding", "ranged"));
        admin(new Document("shardCollection", "ranged.orders").append("key", new Document("_id", 1)));
        fill("ranged", "orders", 300);
        admin(new Document("split", "ranged.orders").append("middle", new Document("_id", 100)));
        admin(new Document("split", "ranged.orders").append("middle", new Document("_id", 200)));

        List<SnapshotSplit> splits = split("ranged", "orders");

        assertThat(splits).extracting(SnapshotSplit::min).containsExactly(new BsonMinKey(), new BsonInt32(100),
            new BsonInt32(200));
        assertThat(splits).extracting(SnapshotSplit::max).containsExactly(new BsonInt32(100), new BsonInt32(200),
            new BsonMaxKey());
    }

    @Test
    void aCollectionShardedOnAHashedKeyIsSplitBySampling() {
        admin(new Document("enableSharding", "hashed"));
        admin(new Document("shardCollection", "hashed.orders").append("key", new Document("_id", "hashed")));
        fill("hashed", "orders", 5_000);

        List<SnapshotSplit> splits = split("hashed", "orders");

        assertThat(splits.size()).isBetween(3, 6);
        assertThat(splits.get(0).min()).isEqualTo(new BsonMinKey());
        assertThat(splits.get(splits.size() - 1).max()).isEqualTo(new BsonMaxKey());
    }
}
