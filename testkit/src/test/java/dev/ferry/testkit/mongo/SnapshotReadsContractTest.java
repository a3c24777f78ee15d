package dev.ferry.testkit.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoQueryException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

/** What a snapshot reader asks of MongoDB: range reads on {@code _id}, index bounds, samples, counts, sizes. */
class SnapshotReadsContractTest extends EmulatorContract {

    private MongoDatabase database;
    private MongoCollection<Document> items;

    @BeforeEach
    void hundredItems() {
        database = client.getDatabase("reads_" + UUID.randomUUID().toString().substring(0, 8));
        items = database.getCollection("items");
        List<Document> documents = new ArrayList<>();
        IntStream.range(0, 100).forEach(i -> documents.add(new Document("_id", i).append("v", "x" + i)));
        items.insertMany(documents);
    }

    private static List<Object> ids(Iterable<Document> documents) {
        List<Object> ids = new ArrayList<>();
        documents.forEach(d -> ids.add(d.get("_id")));
        return ids;
    }

    @Test
    void rangeFilterOnIdWithSortLimitAndSmallBatchesReturnsExactlyTheRange() {
        var found = items.find(Filters.and(Filters.gte("_id", 10), Filters.lt("_id", 40)))
            .sort(Sorts.ascending("_id")).limit(25).batchSize(7);

        assertThat(ids(found)).isEqualTo(new ArrayList<>(IntStream.range(10, 35).boxed().toList()));
    }

    @Test
    void minAndMaxWithHintReadOnlyTheIndexRangeLowerInclusiveUpperExclusive() {
        var found = items.find().min(new Document("_id", 20)).max(new Document("_id", 30))
            .hint(new Document("_id", 1)).batchSize(3);

        assertThat(ids(found)).isEqualTo(new ArrayList<>(IntStream.range(20, 30).boxed().toList()));
    }

    @Test
    void aRangeReadSeesTheInsertsAndDeletesMadeSinceTheLastOne() {
        var before = ids(items.find().min(new Document("_id", 0)).max(new Document("_id", 1000))
            .hint(new Document("_id", 1)));
        items.deleteOne(Filters.eq("_id", 5));
        items.insertOne(new Document("_id", 500));

        var after = ids(items.find().min(new Document("_id", 0)).max(new Document("_id", 1000))
            .hint(new Document("_id", 1)));

        assertThat(before).hasSize(100).contains(5).doesNotContain(500);
        assertThat(after).hasSize(100).doesNotContain(5).endsWith(500);
    }

    @Test
    void minKeyAndMaxKeyBoundsCoverIdsOfEveryType() {
        items.insertOne(new Document("_id", "text"));
        items.insertOne(new Document("_id", new Document("compound", 1)));

        var found = items.find().min(new Document("_id", new BsonMinKey())).max(new Document("_id", new BsonMaxKey()))
            .hint(new Document("_id", 1));

        List<Object> ids = ids(found);
        assertThat(ids).hasSize(102);
        assertThat(ids.get(100)).isEqualTo("text");
        assertThat(ids.get(101)).isEqualTo(new Document("compound", 1));
    }

    @Test
    void boundsOrderValuesAcrossTypesAsTheIndexDoes() {
        items.insertOne(new Document("_id", "a-string"));

        var numbersOnly = items.find().min(new Document("_id", new BsonMinKey())).max(new Document("_id", ""))
            .hintString("_id_");

        assertThat(ids(numbersOnly)).hasSize(100).doesNotContain("a-string");
    }

    @Test
    void minOrMaxWithoutHintIsRefusedNotIgnored() {
        assertThatThrownBy(() -> items.find().min(new Document("_id", 20)).first())
            .isInstanceOfSatisfying(MongoQueryException.class, e -> assertThat(e.getErrorCode()).isEqualTo(51173));
    }

    @Test
    void boundsThatDoNotMatchTheHintedIndexAreRefused() {
        assertThatThrownBy(() -> items.find().min(new Document("v", "x1")).hint(new Document("_id", 1)).first())
            .isInstanceOfSatisfying(MongoQueryException.class, e -> assertThat(e.getErrorCode()).isEqualTo(51174));
    }

    @Test
    void sampleReturnsDistinctDocumentsOfTheCollection() {
        List<Document> sample = items.aggregate(List.of(Aggregates.sample(10))).into(new ArrayList<>());

        assertThat(sample).hasSize(10);
        assertThat(new HashSet<>(ids(sample))).hasSize(10);
        assertThat(ids(sample)).allSatisfy(id -> assertThat((Integer) id).isBetween(0, 99));
    }

    @Test
    void sampleNeverFailsHoweverOftenItRuns() {
        for (int run = 0; run < 300; run++) {
            assertThat(items.aggregate(List.of(Aggregates.sample(60))).into(new ArrayList<>())).hasSize(60);
        }
    }

    @Test
    void countsAreExactAndEstimated() {
        assertThat(items.countDocuments()).isEqualTo(100);
        assertThat(items.countDocuments(Filters.lt("_id", 10))).isEqualTo(10);
        assertThat(items.estimatedDocumentCount()).isEqualTo(100);
    }

    @Test
    void collStatsReportsCountAndSizes() {
        Document stats = database.runCommand(new Document("collStats", "items"));

        assertThat(stats.get("count", Number.class).longValue()).isEqualTo(100);
        assertThat(stats.get("size", Number.class).longValue()).isPositive();
        assertThat(stats.get("avgObjSize", Number.class).doubleValue()).isPositive();
    }

    @Test
    void changeStreamOnTheAdminDatabaseWithoutAllChangesForClusterIsRefused() {
        assertThatThrownBy(() -> client.getDatabase("admin").watch().cursor().tryNext())
            .isInstanceOf(MongoCommandException.class);
    }

    @Test
    void aCollectionWithAReadLatencyAnswersEachBatchNoSoonerThanThatAndOthersAtOnce() {
        try (ReplicaSetEmulator slow = ReplicaSetEmulator.builder()
                 .readLatency("d.slow", java.time.Duration.ofMillis(300)).start();
             com.mongodb.client.MongoClient slowClient = com.mongodb.client.MongoClients.create(slow.connectionString())) {
            MongoDatabase d = slowClient.getDatabase("d");
            d.getCollection("slow").insertMany(List.of(new Document("_id", 1), new Document("_id", 2)));
            d.getCollection("fast").insertMany(List.of(new Document("_id", 1), new Document("_id", 2)));

            long fastStarted = System.nanoTime();
            d.getCollection("fast").find().batchSize(1).into(new ArrayList<>());
            long fastMillis = (System.nanoTime() - fastStarted) / 1_000_000;
            long slowStarted = System.nanoTime();
            List<Document> read = d.getCollection("slow").find().batchSize(1).into(new ArrayList<>());
            long slowMillis = (System.nanoTime() - slowStarted) / 1_000_000;

            assertThat(read).hasSize(2);
            assertThat(slowMillis).as("a find and at least one getMore").isGreaterThanOrEqualTo(600);
            assertThat(fastMillis).as("other collections are not slowed").isLessThan(slowMillis / 2);
        }
    }
}
