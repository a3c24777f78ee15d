package dev.ferry.testkit.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

/**
 * How a query's result comes back: in batches following mongod's rules, so that a driver reads a collection of any
 * size (a reply above 48 MB is refused by every driver).
 */
class QueryBatchesContractTest extends EmulatorContract {

    private static final int MEBIBYTE = 1024 * 1024;

    private MongoDatabase database;

    @BeforeEach
    void freshDatabase() {
        database = client.getDatabase("batches_" + UUID.randomUUID().toString().substring(0, 8));
    }

    private MongoCollection<Document> collectionOf(int count, int bytesEach) {
        MongoCollection<Document> items = database.getCollection("items");
        String padding = "x".repeat(bytesEach);
        List<Document> documents = new ArrayList<>();
        IntStream.range(0, count).forEach(i -> documents.add(new Document("_id", i).append("pad", padding)));
        items.insertMany(documents);
        return items;
    }

    private Document cursorOf(Document reply) {
        return (Document) reply.get("cursor");
    }

    @SuppressWarnings("unchecked")
    private static List<Document> batch(Document cursor, String name) {
        return (List<Document>) cursor.get(name);
    }

    private static long bytesOf(List<Document> documents) {
        return documents.stream().mapToLong(d -> new RawBsonDocument(d, new DocumentCodec()).getByteBuffer().remaining())
            .sum();
    }

    private Document getMore(Document cursor) {
        String collection = cursor.getString("ns").substring(database.getName().length() + 1);
        return database.runCommand(new Document("getMore", cursor.getLong("id")).append("collection", collection));
    }

    @Test
    void firstBatchOfAQueryWithoutBatchSizeHolds101Documents() {
        collectionOf(300, 10);

        Document cursor = cursorOf(database.runCommand(new Document("find", "items")));

        assertThat(batch(cursor, "firstBatch")).hasSize(101);
        assertThat(cursor.getLong("id")).isNotZero();
    }

    @Test
    void firstBatchFollowsTheQuerysBatchSize() {
        collectionOf(300, 10);

        Document cursor = cursorOf(database.runCommand(new Document("find", "items").append("batchSize", 7)));

        assertThat(batch(cursor, "firstBatch")).hasSize(7);
    }

    @Test
    void getMoreWithoutBatchSizeAnswersAsManyDocumentsAsFitIn16MiB() {
        collectionOf(40, MEBIBYTE);
        Document first = cursorOf(database.runCommand(new Document("find", "items").append("batchSize", 1)));

        Document next = cursorOf(getMore(first));

        List<Document> documents = batch(next, "nextBatch");
        assertThat(bytesOf(documents)).isLessThanOrEqualTo(16L * MEBIBYTE);
        assertThat(documents).hasSize(15);
        assertThat(next.getLong("id")).isNotZero();
    }

    @Test
    void getMoreFollowsItsBatchSize() {
        collectionOf(300, 10);
        Document first = cursorOf(database.runCommand(new Document("find", "items").append("batchSize", 1)));
        String collection = first.getString("ns").substring(database.getName().length() + 1);

        Document next = cursorOf(database.runCommand(new Document("getMore", first.getLong("id"))
            .append("collection", collection).append("batchSize", 50)));

        assertThat(batch(next, "nextBatch")).extracting(d -> d.get("_id"))
            .isEqualTo(new ArrayList<>(IntStream.range(1, 51).boxed().toList()));
    }

    @Test
    void aCollectionLargerThanADriversLargestReplyIsReadWhole() {
        MongoCollection<Document> items = collectionOf(60, MEBIBYTE);

        List<Object> ids = new ArrayList<>();
        items.find().forEach(d -> ids.add(d.get("_id")));

        assertThat(ids).isEqualTo(new ArrayList<>(IntStream.range(0, 60).boxed().toList()));
    }

    @Test
    void aSingleBatchQueryAnswersItsFirstBatchAndClosesItsCursor() {
        collectionOf(300, 10);

        Document cursor = cursorOf(database.runCommand(new Document("find", "items").append("singleBatch", true)));

        assertThat(batch(cursor, "firstBatch")).hasSize(101);
        assertThat(cursor.getLong("id")).isZero();
    }
}
