package dev.ferry.controller.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.ferry.controller.pipe.SourceSpec;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;

/** What a source holds, as someone about to make a pipe of it sees it, against the MongoDB emulator. */
class MongoSourceDatabasesTest {

    private static ReplicaSetEmulator emulator;
    private static MongoClient client;

    @BeforeAll
    static void startMongo() {
        emulator = ReplicaSetEmulator.start();
        client = MongoClients.create(emulator.connectionString());
        client.getDatabase("shop").getCollection("orders").insertMany(List.of(new Document("_id", 1),
            new Document("_id", 2), new Document("_id", 3)));
        client.getDatabase("shop").getCollection("customers").insertOne(new Document("_id", 1));
    }

    @AfterAll
    static void stopMongo() {
        client.close();
        emulator.close();
    }

    @Test
    void listsEachDatabasesCollectionsByNameWithTheirEstimatedCountsWithoutTheDeploymentsOwn() {
        List<Source.Database> databases = new MongoSource(new SourceSpec(emulator.connectionString(), null,
            null)).databases();

        assertThat(databases).extracting(Source.Database::name).doesNotContain("admin", "config", "local");
        assertThat(databases).filteredOn(database -> database.name().equals("shop")).singleElement()
            .satisfies(shop -> assertThat(shop.collections()).containsExactly(new Source.Collection("customers", 1),
                new Source.Collection("orders", 3)));
    }

    @Test
    void aSourceThatDoesNotAnswerIsUnreachable() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        MongoSource nowhere = new MongoSource(new SourceSpec("mongodb://127.0.0.1:" + closed
            + "/?replicaSet=rs0&serverSelectionTimeoutMS=500", null, null));

        assertThatThrownBy(nowhere::databases).isInstanceOfSatisfying(SourceException.class,
            refusal -> assertThat(refusal.problem()).isEqualTo(SourceException.Problem.UNREACHABLE));
    }
}
