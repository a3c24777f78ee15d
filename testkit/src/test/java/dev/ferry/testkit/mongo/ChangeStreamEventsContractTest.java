package dev.ferry.testkit.mongo;

import static dev.ferry.testkit.mongo.EventReader.operationTypes;
import static dev.ferry.testkit.mongo.EventReader.take;
import static dev.ferry.testkit.mongo.EventReader.takeOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.FullDocument;

/**
 * Change events as the MongoDB manual's "Change Events" pages describe them, read with the official driver.
 */
class ChangeStreamEventsContractTest extends EmulatorContract {

    private MongoDatabase database;
    private MongoCollection<Document> orders;
    private MongoCursor<Document> stream;

    @BeforeEach
    void freshDatabase() {
        database = client.getDatabase("events_" + UUID.randomUUID().toString().substring(0, 8));
        orders = database.getCollection("orders");
        orders.insertOne(new Document("_id", "existing"));
    }

    @AfterEach
    void closeStream() {
        if (stream != null) {
            stream.close();
        }
    }

    private MongoCursor<Document> watchOrders(FullDocument fullDocument) {
        stream = orders.watch().fullDocument(fullDocument).withDocumentClass(Document.class).cursor();
        return stream;
    }

    @Test
    void insertEventCarriesTokenNamespaceKeyTimesAndFullDocument() {
        watchOrders(FullDocument.DEFAULT);
        orders.insertOne(new Document("_id", 1).append("item", "pen"));

        Document event = takeOne(stream);

        assertThat(event.getString("operationType")).isEqualTo("insert");
        assertThat(event.get("_id", Document.class).getString("_data")).isNotEmpty();
        assertThat(event.get("ns", Document.class)).isEqualTo(
            new Document("db", database.getName()).append("coll", "orders"));
        assertThat(event.get("documentKey", Document.class)).isEqualTo(new Document("_id", 1));
        assertThat(event.get("clusterTime")).isInstanceOf(BsonTimestamp.class);
        assertThat(event.get("wallTime")).isInstanceOf(Date.class);
        assertThat(event.get("fullDocument", Document.class)).isEqualTo(new Document("_id", 1).append("item", "pen"));
    }

    @Test
    void updateEventDescribesUpdatedAndRemovedFields() {
        orders.insertOne(new Document("_id", 2).append("qty", 1).append("note", "x").append("a", new Document("b", 1)));
        watchOrders(FullDocument.DEFAULT);

        orders.updateOne(Filters.eq("_id", 2),
            Updates.combine(Updates.inc("qty", 4), Updates.unset("note"), Updates.set("a.b", 7)));
        Document event = takeOne(stream);

        assertThat(event.getString("operationType")).isEqualTo("update");
        assertThat(event.get("documentKey", Document.class)).isEqualTo(new Document("_id", 2));
        Document description = event.get("updateDescription", Document.class);
        assertThat(description.get("updatedFields", Document.class))
            .isEqualTo(new Document("qty", 5).append("a.b", 7));
        assertThat(description.getList("removedFields", String.class)).containsExactly("note");
        assertThat(event.containsKey("fullDocument")).as("no fullDocument on updates by default").isFalse();
    }

    @Test
    void replacingADocumentIsAReplaceEventWithTheNewDocument() {
        orders.insertOne(new Document("_id", 3).append("v", 1));
        watchOrders(FullDocument.DEFAULT);

        orders.replaceOne(Filters.eq("_id", 3), new Document("w", 2));
        Document event = takeOne(stream);

        assertThat(event.getString("operationType")).isEqualTo("replace");
        assertThat(event.get("documentKey", Document.class)).isEqualTo(new Document("_id", 3));
        assertThat(event.get("fullDocument", Document.class)).isEqualTo(new Document("_id", 3).append("w", 2));
    }

    @Test
    void deleteEventCarriesOnlyTheDocumentKey() {
        watchOrders(FullDocument.UPDATE_LOOKUP);

        orders.deleteOne(Filters.eq("_id", "existing"));
        Document event = takeOne(stream);

        assertThat(event.getString("operationType")).isEqualTo("delete");
        assertThat(event.get("documentKey", Document.class)).isEqualTo(new Document("_id", "existing"));
        assertThat(event.containsKey("fullDocument")).isFalse();
    }

    @Test
    void anInsertThatFailsOnADuplicateKeyEmitsNoEventButTheWrittenDocumentsDo() {
        watchOrders(FullDocument.DEFAULT);

        assertThatThrownBy(() -> orders.insertMany(List.of(new Document("_id", 30),
                new Document("_id", "existing").append("bogus", 1), new Document("_id", 31)),
            new InsertManyOptions().ordered(false)))
            .isInstanceOfSatisfying(MongoBulkWriteException.class, e -> assertThat(e.getWriteErrors())
                .singleElement().satisfies(error -> assertThat(error.getIndex()).isEqualTo(1)));
        orders.insertOne(new Document("_id", 32));
        List<Document> events = take(stream, 3);

        assertThat(events).extracting(e -> e.get("documentKey", Document.class).get("_id"))
            .containsExactly(30, 31, 32);
    }

    @Test
    void findAndModifyWritesAppearAsChangeEvents() {
        watchOrders(FullDocument.UPDATE_LOOKUP);

        orders.findOneAndUpdate(Filters.eq("_id", "existing"), Updates.set("n", 1));
        orders.findOneAndReplace(Filters.eq("_id", "existing"), new Document("m", 2));
        orders.findOneAndDelete(Filters.eq("_id", "existing"));
        List<Document> events = take(stream, 3);

        assertThat(operationTypes(events)).containsExactly("update", "replace", "delete");
        assertThat(events.get(1).get("fullDocument", Document.class))
            .isEqualTo(new Document("_id", "existing").append("m", 2));
    }

    @Test
    void updateLookupReturnsTheDocumentAsItIsWhenTheEventIsRead() {
        watchOrders(FullDocument.UPDATE_LOOKUP);

        orders.updateOne(Filters.eq("_id", "existing"), Updates.set("step", 1));
        orders.updateOne(Filters.eq("_id", "existing"), Updates.set("step", 2));
        List<Document> events = take(stream, 2);

        assertThat(events.get(0).get("fullDocument", Document.class).getInteger("step")).isEqualTo(2);
    }

    @Test
    void updateLookupOfADeletedDocumentGivesNullFullDocument() {
        watchOrders(FullDocument.UPDATE_LOOKUP);

        orders.updateOne(Filters.eq("_id", "existing"), Updates.set("step", 1));
        orders.deleteOne(Filters.eq("_id", "existing"));
        List<Document> events = take(stream, 2);

        assertThat(events.get(0).containsKey("fullDocument")).isTrue();
        assertThat(events.get(0).get("fullDocument")).isNull();
    }

    // whenAvailable and required (post-images, MongoDB 6.0+): PostImagesContractTest

    @Test
    void droppingTheCollectionEmitsDropThenInvalidateAndClosesTheStream() {
        watchOrders(FullDocument.DEFAULT);

        orders.drop();
        List<Document> events = take(stream, 2);

        assertThat(operationTypes(events)).containsExactly("drop", "invalidate");
        assertThat(events.get(0).get("ns", Document.class).getString("coll")).isEqualTo("orders");
    }

    @Test
    void renamingTheCollectionEmitsRenameWithTheNewNamespaceThenInvalidate() {
        watchOrders(FullDocument.DEFAULT);

        orders.renameCollection(new com.mongodb.MongoNamespace(database.getName(), "archived"));
        List<Document> events = take(stream, 2);

        assertThat(operationTypes(events)).containsExactly("rename", "invalidate");
        assertThat(events.get(0).get("to", Document.class))
            .isEqualTo(new Document("db", database.getName()).append("coll", "archived"));
    }

    @Test
    void aDatabaseStreamSeesEveryCollectionAndEndsWithDropDatabase() {
        stream = database.watch().withDocumentClass(Document.class).cursor();

        database.getCollection("a").insertOne(new Document("_id", 1));
        database.getCollection("b").insertOne(new Document("_id", 2));
        client.getDatabase("other_" + database.getName()).getCollection("a").insertOne(new Document("_id", 3));
        database.drop();
        List<Document> events = take(stream, 7);

        assertThat(operationTypes(events))
            .containsExactly("insert", "insert", "drop", "drop", "drop", "dropDatabase", "invalidate");
        assertThat(events.get(5).get("ns", Document.class)).isEqualTo(new Document("db", database.getName()));
    }

    @Test
    void aDeploymentStreamSeesEveryDatabase() {
        stream = client.watch().withDocumentClass(Document.class).cursor();

        orders.insertOne(new Document("_id", 10));
        client.getDatabase("elsewhere_" + database.getName()).getCollection("x").insertOne(new Document("_id", 11));
        List<Document> events = take(stream, 2);

        assertThat(events).extracting(event -> event.get("documentKey", Document.class).get("_id"))
            .containsExactly(10, 11);
    }

    @Test
    void matchAndProjectAfterChangeStreamFilterAndShapeEvents() {
        stream = orders.watch(List.of(
                Aggregates.match(Filters.in("operationType", List.of("insert"))),
                Aggregates.project(Projections.include("operationType", "documentKey"))))
            .withDocumentClass(Document.class).cursor();

        orders.deleteOne(Filters.eq("_id", "existing"));
        orders.insertOne(new Document("_id", 20).append("big", "x"));
        Document event = takeOne(stream);

        assertThat(event.keySet()).containsExactlyInAnyOrder("_id", "operationType", "documentKey");
        assertThat(event.get("documentKey", Document.class)).isEqualTo(new Document("_id", 20));
    }

    @Test
    void anEmptyBatchStillCarriesAPostBatchResumeTokenThatMovesWithOtherWrites() {
        try (MongoChangeStreamCursor<ChangeStreamDocument<Document>> quiet = orders.watch().cursor()) {
            assertThat(quiet.tryNext()).isNull();
            var before = quiet.getResumeToken();

            client.getDatabase("busy_" + database.getName()).getCollection("c").insertOne(new Document("_id", 1));
            assertThat(quiet.tryNext()).isNull();
            var after = quiet.getResumeToken();

            assertThat(before).isNotNull();
            assertThat(after.getString("_data").getValue()).isGreaterThan(before.getString("_data").getValue());
        }
    }

    @Test
    void aResumeTokenBeginsWithItsEventsClusterTimeInKeyStringForm() {
        watchOrders(FullDocument.DEFAULT);
        orders.insertOne(new Document("_id", 30));

        Document event = take(stream, 1).get(0);

        BsonTimestamp clusterTime = (BsonTimestamp) event.get("clusterTime");
        String data = event.get("_id", Document.class).getString("_data");
        assertThat(data).startsWith("82" + String.format("%016x", clusterTime.getValue()));
    }

    @Test
    void anIdleStreamsPostBatchResumeTokenMovesWithThePeriodicNoOp() throws Exception {
        try (ReplicaSetEmulator quietDeployment = ReplicaSetEmulator.builder().noopInterval(Duration.ofSeconds(1))
                 .start();
             MongoClient quietClient = MongoClients.create(quietDeployment.connectionString());
             MongoChangeStreamCursor<ChangeStreamDocument<Document>> idle = quietClient.getDatabase("d")
                 .getCollection("c").watch().maxAwaitTime(100, TimeUnit.MILLISECONDS).cursor()) {
            assertThat(idle.tryNext()).isNull();
            var before = idle.getResumeToken();

            Thread.sleep(2_100);
            assertThat(idle.tryNext()).isNull();
            var after = idle.getResumeToken();

            assertThat(after.getString("_data").getValue()).isGreaterThan(before.getString("_data").getValue());
        }
    }

    @Test
    void eventsOfOneCollectionArriveInWriteOrderWithIncreasingClusterTimes() {
        watchOrders(FullDocument.DEFAULT);

        for (int i = 0; i < 50; i++) {
            orders.insertOne(new Document("_id", 100 + i));
        }
        List<Document> events = take(stream, 50);

        for (int i = 1; i < events.size(); i++) {
            BsonTimestamp previous = (BsonTimestamp) events.get(i - 1).get("clusterTime");
            BsonTimestamp current = (BsonTimestamp) events.get(i).get("clusterTime");
            assertThat(current.compareTo(previous)).isPositive();
            assertThat(events.get(i).get("documentKey", Document.class).getInteger("_id")).isEqualTo(100 + i);
        }
    }
}
