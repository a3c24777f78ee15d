package dev.ferry.testkit.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.CountOptions;
import com.mongodb.client.model.Filters;

/**
 * The options of the listing and counting commands, as the manual describes them: a server that dropped them
 * would answer more than was asked, and a client that reads the first answer would read the wrong one.
 */
class ListCommandsContractTest extends EmulatorContract {

    private static MongoDatabase database() {
        return client.getDatabase("lists_" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** listCollections: "filter: a query expression to filter the list of collections", on name, type, options. */
    @Test
    void listCollectionsAnswersOnlyTheCollectionsItsFilterMatches() {
        MongoDatabase db = database();
        db.createCollection("first");
        db.createCollection("second");
        db.createCollection("third");

        List<Document> named = db.listCollections().filter(Filters.eq("name", "second")).into(new ArrayList<>());
        List<Document> some = db.listCollections().filter(Filters.in("name", "first", "third"))
            .into(new ArrayList<>());

        assertThat(named).extracting(collection -> collection.getString("name")).containsExactly("second");
        assertThat(some).extracting(collection -> collection.getString("name"))
            .containsExactlyInAnyOrder("first", "third");
    }

    /** listCollections with nameOnly: "returns only the name and type of each collection". */
    @Test
    void listCollectionsWithNameOnlyAnswersNamesAndTypes() {
        MongoDatabase db = database();
        db.createCollection("only");

        Document collection = db.runCommand(new Document("listCollections", 1).append("nameOnly", true))
            .get("cursor", Document.class).getList("firstBatch", Document.class).get(0);

        assertThat(collection.keySet()).containsExactlyInAnyOrder("name", "type");
    }

    /** listDatabases: "filter: a query predicate that determines which databases are listed". */
    @Test
    void listDatabasesAnswersOnlyTheDatabasesItsFilterMatches() {
        MongoDatabase db = database();
        db.getCollection("c").insertOne(new Document("x", 1));
        database().getCollection("c").insertOne(new Document("x", 1));

        List<Document> listed = client.listDatabases().filter(Filters.eq("name", db.getName()))
            .into(new ArrayList<>());

        assertThat(listed).extracting(database -> database.getString("name")).containsExactly(db.getName());
    }

    /** count: "limit: the maximum number of matching documents to return; skip: the number to skip". */
    @Test
    void countTakesItsQueryLimitAndSkip() {
        MongoDatabase db = database();
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            documents.add(new Document("_id", i).append("even", i % 2 == 0));
        }
        db.getCollection("c").insertMany(documents);

        assertThat(db.getCollection("c").countDocuments(Filters.eq("even", true))).isEqualTo(15);
        assertThat(db.getCollection("c").countDocuments(Filters.eq("even", true), new CountOptions().skip(5)
            .limit(7))).isEqualTo(7);
        assertThat(db.runCommand(new Document("count", "c").append("query", new Document("even", false))
            .append("skip", 10)).get("n", Number.class).intValue()).isEqualTo(5);
    }
}
