package dev.ferry.testkit.mongo;

import static dev.ferry.testkit.mongo.EventReader.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.ChangeStreamPreAndPostImagesOptions;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.client.model.changestream.FullDocumentBeforeChange;

/**
 * Pre- and post-images as the MongoDB manual's "Change Streams with Document Pre- and Post-Images" describes them,
 * on an emulator reporting itself as 7.0, and their absence on one reporting 5.0.
 */
class ChangeStreamImagesContractTest extends SevenAndFive {

    private static MongoDatabase freshDatabase(MongoClient mongo) {
        return mongo.getDatabase("images_" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static MongoCursor<Document> watch(MongoCollection<Document> collection, FullDocument fullDocument) {
        return collection.watch().fullDocument(fullDocument).withDocumentClass(Document.class).cursor();
    }

    @Test
    void theServerReportsTheVersionItWasGiven() {
        Document buildInfo = client.getDatabase("admin").runCommand(new Document("buildInfo", 1));

        assertThat(buildInfo.getString("version")).isEqualTo("7.0.0");
        assertThat(buildInfo.getList("versionArray", Integer.class)).startsWith(7, 0);
        assertThat(oldClient.getDatabase("admin").runCommand(new Document("buildInfo", 1)).getString("version"))
            .isEqualTo("5.0.0");
    }

    @Test
    void anUpdateCarriesThePostImageOfThatUpdateEvenWhenALaterOneFollowed() {
        MongoDatabase database = freshDatabase(client);
        database.createCollection("orders", new CreateCollectionOptions()
            .changeStreamPreAndPostImagesOptions(new ChangeStreamPreAndPostImagesOptions(true)));
        MongoCollection<Document> orders = database.getCollection("orders");
        orders.insertOne(new Document("_id", 1).append("v", 0));
        try (MongoCursor<Document> stream = watch(orders, FullDocument.WHEN_AVAILABLE)) {
            orders.updateOne(Filters.eq("_id", 1), Updates.set("v", 1));
            orders.updateOne(Filters.eq("_id", 1), Updates.set("v", 2));

            List<Document> events = take(stream, 2);

            assertThat(events.get(0).get("fullDocument", Document.class).getInteger("v")).isEqualTo(1);
            assertThat(events.get(1).get("fullDocument", Document.class).getInteger("v")).isEqualTo(2);
        }
    }

    @Test
    void collModEnablesPostImagesForLaterChangesAndListCollectionsShowsIt() {
        MongoDatabase database = freshDatabase(client);
        MongoCollection<Document> orders = database.getCollection("orders");
        orders.insertOne(new Document("_id", 1).append("v", 0));
        try (MongoCursor<Document> stream = watch(orders, FullDocument.WHEN_AVAILABLE)) {
            orders.updateOne(Filters.eq("_id", 1), Updates.set("v", 1));
            database.runCommand(new Document("collMod", "orders").append("changeStreamPreAndPostImages",
                new Document("enabled", true)));
            orders.updateOne(Filters.eq("_id", 1), Updates.set("v", 2));

            List<Document> events = take(stream, 2);

            assertThat(events.get(0).get("fullDocument")).as("before the images were kept").isNull();
            assertThat(events.get(1).get("fullDocument", Document.class).getInteger("v")).isEqualTo(2);
        }
        Document listed = database.listCollections().first();
        assertThat(listed.get("options", Document.class).get("changeStreamPreAndPostImages", Document.class)
            .getBoolean("enabled")).isTrue();
    }

    @Test
    void requiredFailsTheStreamForAnUpdateWithoutAPostImage() {
        MongoCollection<Document> orders = freshDatabase(client).getCollection("orders");
        orders.insertOne(new Document("_id", 1));
        try (MongoCursor<Document> stream = watch(orders, FullDocument.REQUIRED)) {
            orders.updateOne(Filters.eq("_id", 1), Updates.set("v", 1));

            assertThatThrownBy(stream::next).isInstanceOf(MongoCommandException.class)
                .hasMessageContaining("post-image");
        }
    }

    @Test
    void mongoDb5KnowsNeitherTheCollectionOptionNorWhenAvailable() {
        MongoDatabase database = freshDatabase(oldClient);
        MongoCollection<Document> orders = database.getCollection("orders");
        orders.insertOne(new Document("_id", 1));

        assertThatThrownBy(() -> database.runCommand(new Document("collMod", "orders")
            .append("changeStreamPreAndPostImages", new Document("enabled", true))))
            .isInstanceOf(MongoCommandException.class).hasMessageContaining("unknown field");
        assertThatThrownBy(() -> watch(orders, FullDocument.WHEN_AVAILABLE).close())
            .isInstanceOf(MongoCommandException.class).hasMessageContaining("whenAvailable");
    }

    private static MongoCursor<Document> watchBefore(MongoCollection<Document> collection, FullDocumentBeforeChange mode) {
        return collection.watch().fullDocumentBeforeChange(mode).withDocumentClass(Document.class).cursor();
    }

    @Test
    void updatesReplacesAndDeletesCarryTheDocumentAsItWasBeforeThem() {
        MongoDatabase database = freshDatabase(client);
        database.createCollection("orders", new CreateCollectionOptions()
            .changeStreamPreAndPostImagesOptions(new ChangeStreamPreAndPostImagesOptions(true)));
        MongoCollection<Document> orders = database.getCollection("orders");
        orders.insertOne(new Document("_id", 1).append("v", 0));
        try (MongoCursor<Document> stream = watchBefore(orders, FullDocumentBeforeChange.WHEN_AVAILABLE)) {
            orders.updateOne(Filters.eq("_id", 1), Updates.set("v", 1));
            orders.replaceOne(Filters.eq("_id", 1), new Document("_id", 1).append("w", 2));
            orders.deleteOne(Filters.eq("_id", 1));

            List<Document> events = take(stream, 3);

            assertThat(events.get(0).get("fullDocumentBeforeChange")).isEqualTo(new Document("_id", 1).append("v", 0));
            assertThat(events.get(1).get("fullDocumentBeforeChange")).isEqualTo(new Document("_id", 1).append("v", 1));
            assertThat(events.get(2).get("fullDocumentBeforeChange")).isEqualTo(new Document("_id", 1).append("w", 2));
        }
    }

    @Test
    void aCollectionGivenImagesByCollModHasTheDocumentsItHadAsPreImages() {
        MongoDatabase database = freshDatabase(client);
        MongoCollection<Document> orders = database.getCollection("orders");
        orders.insertOne(new Document("_id", 1).append("v", 0));
        database.runCommand(new Document("collMod", "orders").append("changeStreamPreAndPostImages",
            new Document("enabled", true)));
        try (MongoCursor<Document> stream = watchBefore(orders, FullDocumentBeforeChange.REQUIRED)) {
            orders.deleteOne(Filters.eq("_id", 1));

            assertThat(take(stream, 1).get(0).get("fullDocumentBeforeChange"))
                .isEqualTo(new Document("_id", 1).append("v", 0));
        }
    }

    @Test
    void withoutImagesWhenAvailableGivesNullAndRequiredFailsTheStream() {
        MongoCollection<Document> orders = freshDatabase(client).getCollection("orders");
        orders.insertOne(new Document("_id", 1));
        try (MongoCursor<Document> stream = watchBefore(orders, FullDocumentBeforeChange.WHEN_AVAILABLE)) {
            orders.updateOne(Filters.eq("_id", 1), Updates.set("v", 1));

            Document event = take(stream, 1).get(0);
            assertThat(event.containsKey("fullDocumentBeforeChange")).isTrue();
            assertThat(event.get("fullDocumentBeforeChange")).isNull();
        }
        try (MongoCursor<Document> stream = watchBefore(orders, FullDocumentBeforeChange.REQUIRED)) {
            orders.updateOne(Filters.eq("_id", 1), Updates.set("v", 2));

            assertThatThrownBy(stream::next).isInstanceOf(MongoCommandException.class)
                .hasMessageContaining("pre-image");
        }
    }

    @Test
    void mongoDb5DoesNotKnowFullDocumentBeforeChange() {
        MongoCollection<Document> orders = freshDatabase(oldClient).getCollection("orders");
        orders.insertOne(new Document("_id", 1));

        assertThatThrownBy(() -> watchBefore(orders, FullDocumentBeforeChange.WHEN_AVAILABLE).close())
            .isInstanceOf(MongoCommandException.class).hasMessageContaining("unknown field");
    }
}
