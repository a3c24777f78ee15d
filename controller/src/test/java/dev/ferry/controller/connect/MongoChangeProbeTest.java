package dev.ferry.controller.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.changestream.ChangeStreamDocument;

import dev.ferry.common.Versions;
import dev.ferry.common.mongo.StartPosition;
import dev.ferry.controller.pipe.Credentials;
import dev.ferry.controller.pipe.SourceSpec;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;

/**
 * The look at a pipe's change stream for its oldest change not committed, against the MongoDB emulator: changes are
 * numbered as the job numbers them, so a change is waiting exactly when its version is above the committed one.
 */
class MongoChangeProbeTest {

    private static ReplicaSetEmulator emulator;
    private static MongoClient client;

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

    private static MongoChangeProbe probe() {
        return new MongoChangeProbe(new SourceSpec(emulator.connectionString(), null, Credentials.NONE));
    }

    /** The versions the job gives the collection's changes since {@code start}, in stream order. */
    private static List<Long> versions(MongoCollection<Document> collection, long start, int count) {
        List<Long> versions = new java.util.ArrayList<>();
        try (MongoCursor<ChangeStreamDocument<Document>> changes = collection.watch()
            .startAtOperationTime(new BsonTimestamp(start)).cursor()) {
            long lastTime = -1;
            int index = 0;
            while (versions.size() < count) {
                BsonTimestamp time = changes.next().getClusterTime();
                index = time.getValue() == lastTime ? index + 1 : 0;
                lastTime = time.getValue();
                versions.add(Versions.of(Integer.toUnsignedLong(time.getTime()), Integer.toUnsignedLong(time.getInc()),
                    index));
            }
        }
        return versions;
    }

    private static MongoCollection<Document> fresh(String name) {
        return client.getDatabase("probe_" + System.nanoTime()).getCollection(name);
    }

    private static String namespace(MongoCollection<Document> collection) {
        return collection.getNamespace().getFullName();
    }

    @Test
    void withEveryChangeCommittedNothingWaits() {
        MongoCollection<Document> orders = fresh("orders");
        long start = StartPosition.capture(client).getValue();
        orders.insertOne(new Document("_id", 1));
        orders.insertOne(new Document("_id", 2));
        List<Long> versions = versions(orders, start, 2);

        try (MongoChangeProbe probe = probe()) {
            assertThat(probe.oldestChangeAfter(versions.get(1), List.of(namespace(orders)))).isEmpty();
        }
    }

    @Test
    void theOldestChangeAboveTheCommittedVersionWaitsWithTheTimeItWasMade() {
        MongoCollection<Document> orders = fresh("orders");
        long start = StartPosition.capture(client).getValue();
        Instant before = Instant.now().minusSeconds(1);
        orders.insertOne(new Document("_id", 1));
        orders.insertOne(new Document("_id", 2));
        List<Long> versions = versions(orders, start, 2);

        try (MongoChangeProbe probe = probe()) {
            Optional<Instant> waiting = probe.oldestChangeAfter(versions.get(0), List.of(namespace(orders)));

            assertThat(waiting).hasValueSatisfying(made -> assertThat(made).isBetween(before, Instant.now()));
        }
    }

    @Test
    void theStatementsOfATransactionAreToldApartThoughTheyShareTheirClusterTime() {
        MongoCollection<Document> orders = fresh("orders");
        orders.insertOne(new Document("_id", 0));
        long start = StartPosition.capture(client).getValue();
        try (ClientSession session = client.startSession()) {
            session.startTransaction();
            orders.insertOne(session, new Document("_id", 1));
            orders.insertOne(session, new Document("_id", 2));
            orders.insertOne(session, new Document("_id", 3));
            session.commitTransaction();
        }
        List<Long> versions = versions(orders, start, 3);

        try (MongoChangeProbe probe = probe()) {
            assertThat(probe.oldestChangeAfter(versions.get(1), List.of(namespace(orders)))).isPresent();
            assertThat(probe.oldestChangeAfter(versions.get(2), List.of(namespace(orders)))).isEmpty();
        }
    }

    @Test
    void changesOfCollectionsThePipeDoesNotMapDoNotWait() {
        MongoCollection<Document> orders = fresh("orders");
        MongoCollection<Document> others = client.getDatabase(orders.getNamespace().getDatabaseName())
            .getCollection("others");
        long start = StartPosition.capture(client).getValue();
        orders.insertOne(new Document("_id", 1));
        long committed = versions(orders, start, 1).get(0);
        others.insertOne(new Document("_id", 1));

        try (MongoChangeProbe probe = probe()) {
            assertThat(probe.oldestChangeAfter(committed, List.of(namespace(orders)))).isEmpty();
            assertThat(probe.oldestChangeAfter(committed, List.of(namespace(orders), namespace(others)))).isPresent();
        }
    }

    @Test
    void aLaterLookGoesOnFromWhereTheLastFoundNothingAndStillFindsWhatCameSince() {
        MongoCollection<Document> orders = fresh("orders");
        long start = StartPosition.capture(client).getValue();
        orders.insertOne(new Document("_id", 1));
        long committed = versions(orders, start, 1).get(0);

        try (MongoChangeProbe probe = probe()) {
            assertThat(probe.oldestChangeAfter(committed, List.of(namespace(orders)))).isEmpty();
            orders.insertOne(new Document("_id", 2));
            assertThat(probe.oldestChangeAfter(committed, List.of(namespace(orders)))).isPresent();
        }
    }

    @Test
    void aStartWithoutChangesIsNotBehind() {
        MongoCollection<Document> orders = fresh("orders");
        long start = StartPosition.capture(client).getValue();
        long beforeStart = Versions.snapshotVersion(start >>> 32, start & 0xffffffffL);

        try (MongoChangeProbe probe = probe()) {
            assertThat(probe.oldestChangeAfter(beforeStart, List.of(namespace(orders)))).isEmpty();
            orders.insertOne(new Document("_id", 1));
            assertThat(probe.oldestChangeAfter(beforeStart, List.of(namespace(orders)))).isPresent();
        }
    }
}
