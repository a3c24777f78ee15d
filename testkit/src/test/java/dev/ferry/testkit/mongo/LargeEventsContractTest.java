package dev.ferry.testkit.mongo;

import static dev.ferry.testkit.mongo.EventReader.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.changestream.FullDocument;

/**
 * Change events over 16 MB as the MongoDB manual's "Large Change Stream Events" describes them: without
 * {@code $changeStreamSplitLargeEvent} the stream fails with BSONObjectTooLarge; with it (7.0) the event comes as
 * fragments under 16 MB that together hold its fields, each resumable; a 5.0 server does not know the stage.
 */
class LargeEventsContractTest extends SevenAndFive {

    private static final int MB = 1024 * 1024;

    private static MongoCollection<Document> freshOrders(MongoClient mongo) {
        return mongo.getDatabase("large_" + UUID.randomUUID().toString().substring(0, 8)).getCollection("orders");
    }

    private static MongoCursor<Document> watch(MongoCollection<Document> orders, boolean split) {
        List<Document> pipeline = split ? List.of(new Document("$changeStreamSplitLargeEvent", new Document()))
            : List.of();
        return orders.watch(pipeline).fullDocument(FullDocument.UPDATE_LOOKUP).withDocumentClass(Document.class)
            .cursor();
    }

    /** A 7 MB document updated with a 7 MB field: the event (post-image and update description) is 21 MB. */
    private static void largeUpdate(MongoCollection<Document> orders) {
        orders.updateOne(Filters.eq("_id", 1), Updates.set("notes", "n".repeat(7 * MB)));
    }

    private static MongoCollection<Document> ordersWithABigDocument(MongoClient mongo) {
        MongoCollection<Document> orders = freshOrders(mongo);
        orders.insertOne(new Document("_id", 1).append("blob", "b".repeat(7 * MB)));
        return orders;
    }

    @Test
    void anEventOver16MbFailsAStreamThatDoesNotSplitEvents() {
        MongoCollection<Document> orders = ordersWithABigDocument(client);
        try (MongoCursor<Document> stream = watch(orders, false)) {
            largeUpdate(orders);

            assertThatThrownBy(stream::next).isInstanceOf(MongoCommandException.class)
                .hasMessageContaining("BSONObjectTooLarge").hasMessageContaining("16793600");
        }
    }

    @Test
    void aSplitEventComesAsFragmentsUnder16MbThatTogetherHoldItsFields() {
        MongoCollection<Document> orders = ordersWithABigDocument(client);
        try (MongoCursor<Document> stream = watch(orders, true)) {
            largeUpdate(orders);
            orders.updateOne(Filters.eq("_id", 1), Updates.set("small", 1));

            List<Document> events = take(stream, 3);

            Document first = events.get(0);
            Document second = events.get(1);
            assertThat(first.get("splitEvent", Document.class)).isEqualTo(new Document("fragment", 1).append("of", 2));
            assertThat(second.get("splitEvent", Document.class)).isEqualTo(new Document("fragment", 2).append("of", 2));
            for (Document fragment : List.of(first, second)) {
                assertThat(RawBsonDocument.parse(fragment.toJson()).getByteBuffer().remaining()).isLessThan(16 * MB);
            }
            Document joined = new Document();
            joined.putAll(first);
            joined.putAll(second);
            assertThat(joined.getString("operationType")).isEqualTo("update");
            assertThat(joined.get("fullDocument", Document.class).getString("notes")).hasSize(7 * MB);
            assertThat(joined.get("updateDescription", Document.class).get("updatedFields", Document.class)
                .getString("notes")).hasSize(7 * MB);
            assertThat(first.get("_id", Document.class).getString("_data"))
                .isLessThan(second.get("_id", Document.class).getString("_data"))
                .as("fragments' tokens sort before the next event's")
                .isLessThan(events.get(2).get("_id", Document.class).getString("_data"));
            assertThat(events.get(2).get("splitEvent")).isNull();
        }
    }

    @Test
    void aStreamResumedAfterAFragmentGoesOnWithTheNextFragment() {
        MongoCollection<Document> orders = ordersWithABigDocument(client);
        BsonDocument afterFirst;
        try (MongoCursor<Document> stream = watch(orders, true)) {
            largeUpdate(orders);
            afterFirst = BsonDocument.parse(take(stream, 1).get(0).get("_id", Document.class).toJson());
        }

        List<Document> rest = new ArrayList<>();
        try (MongoCursor<Document> resumed = orders.watch(List.of(new Document("$changeStreamSplitLargeEvent",
            new Document()))).fullDocument(FullDocument.UPDATE_LOOKUP).resumeAfter(afterFirst)
            .withDocumentClass(Document.class).cursor()) {
            orders.updateOne(Filters.eq("_id", 1), Updates.set("small", 2));
            rest.addAll(take(resumed, 2));
        }

        assertThat(rest.get(0).get("splitEvent", Document.class).getInteger("fragment")).isEqualTo(2);
        assertThat(rest.get(1).get("updateDescription", Document.class).toJson()).contains("small");
    }

    @Test
    void theStageMustComeLastAndAMongoDb5ServerDoesNotKnowIt() {
        MongoCollection<Document> orders = freshOrders(client);
        orders.insertOne(new Document("_id", 1));

        assertThatThrownBy(() -> orders.watch(List.of(new Document("$changeStreamSplitLargeEvent", new Document()),
            new Document("$match", new Document()))).cursor().close()).isInstanceOf(MongoCommandException.class)
            .hasMessageContaining("must be the last stage");
        MongoCollection<Document> old = freshOrders(oldClient);
        old.insertOne(new Document("_id", 1));
        assertThatThrownBy(() -> watch(old, true).close()).isInstanceOf(MongoCommandException.class)
            .hasMessageContaining("Unrecognized pipeline stage name");
    }
}
