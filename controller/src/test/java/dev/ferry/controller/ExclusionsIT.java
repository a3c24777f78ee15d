package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import dev.ferry.common.Eventually;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/**
 * A pipe that leaves fields out ({@code excludeFields}) and keeps deleted documents' rows ({@code
 * excludedOperations: ["delete"]}), through its snapshot, changes and a resync: the excluded fields are written
 * nowhere, the deleted documents' rows stay as they last were, and verify compares the rest document by document.
 */
@ExtendWith(ClickHouseExtension.class)
class ExclusionsIT extends WithController {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);
    private static final String CARD = "4111-1111";

    private static Document order(int id) {
        return new Document("_id", id).append("total", id * 1.5)
            .append("payment", new Document("method", "card").append("card", CARD + "-" + id))
            .append("internalNotes", "call back " + id)
            .append("items", List.of(new Document("sku", "a" + id).append("cost", 2)));
    }

    private static String request(String db, String mongoUri, String clickHouseUrl, String excludeFields,
                                  String excludedOperations) {
        return """
            {"name": "%s", "source": {"mongodb": {"uri": "%s"}},
             "destination": {"clickhouse": {"url": "%s", "database": "%s"}},
             "tableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "orders",
                                "excludeFields": %s}],
             "settings": {"syncIntervalSeconds": 1, "excludedOperations": %s}}
            """.formatted(db, mongoUri, clickHouseUrl, db, db, excludeFields, excludedOperations);
    }

    @Test
    void excludedFieldsAreWrittenNowhereAndDeletedDocumentsKeepTheirRowsThroughChangesAndAResync(
        ClickHouseServer clickHouse) {
        String db = "excl_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        List<Document> initial = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            initial.add(order(i));
        }
        orders.insertMany(initial);
        String id = Pipes.create(api, request(db, emulator.connectionString(), clickHouse.url(),
            "[\"payment.card\", \"internalNotes\", \"items.cost\"]", "[\"delete\"]"));
        Pipes.awaitState(api, id, "Running");

        orders.insertOne(order(1_000));
        orders.updateOne(Filters.eq("_id", 7), Updates.combine(Updates.set("payment.card", CARD + "-new"),
            Updates.set("total", 12345.25)));
        orders.deleteMany(Filters.in("_id", List.of(1, 2, 3)));
        String table = "`" + db + "`.orders";
        Eventually.within(TIMEOUT, () -> assertThat(clickHouse.http().value("SELECT count() FROM " + table
            + " FINAL WHERE _peerdb_is_deleted = 0 AND doc LIKE '%12345.25%'")).isEqualTo("1"));
        Eventually.within(TIMEOUT, () -> assertThat(clickHouse.http().value("SELECT count() FROM " + table
            + " FINAL WHERE _peerdb_is_deleted = 0")).isEqualTo("501"));

        assertThat(clickHouse.http().value("SELECT count() FROM " + table + " WHERE doc LIKE '%" + CARD
            + "%' OR doc LIKE '%internalNotes%' OR doc LIKE '%cost%'")).as("excluded fields in any row").isEqualTo("0");
        assertThat(clickHouse.http().value("SELECT doc FROM " + table + " FINAL WHERE _id = '2'"))
            .as("a deleted document's row, as it last was").contains("\"method\":\"card\"").contains("\"sku\":\"a2\"");
        JsonNode verified = api.get("/v1/pipes/" + id + "/verify").body();
        assertThat(verified.path("equal").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.at("/tables/0/keptDeletes").asLong()).isEqualTo(3);
        assertThat(verified.at("/tables/0/mongodbDocuments").asLong()).isEqualTo(498);

        assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resync\"}").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Running");
        Eventually.within(TIMEOUT, () -> {
            JsonNode afterResync = api.get("/v1/pipes/" + id + "/verify").body();
            assertThat(afterResync.path("equal").asBoolean()).as(afterResync.toString()).isTrue();
            assertThat(afterResync.at("/tables/0/keptDeletes").asLong()).as("kept deletes carried over").isEqualTo(3);
        });
        assertThat(clickHouse.http().value("SELECT count() FROM " + table + " WHERE doc LIKE '%" + CARD + "%'"))
            .isEqualTo("0");
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void excludingIdOrAnOperationOtherThanDeleteIsRefusedAndNothingIsCreated(ClickHouseServer clickHouse) {
        String db = "excl_bad_" + UUID.randomUUID().toString().substring(0, 8);
        mongo.getDatabase(db).getCollection("orders").insertOne(order(1));

        RestApi.Reply id = api.post("/v1/pipes", request(db, emulator.connectionString(), clickHouse.url(),
            "[\"_id\"]", "[]"));
        RestApi.Reply empty = api.post("/v1/pipes", request(db, emulator.connectionString(), clickHouse.url(),
            "[\"payment..card\"]", "[]"));
        RestApi.Reply insert = api.post("/v1/pipes", request(db, emulator.connectionString(), clickHouse.url(),
            "[]", "[\"insert\"]"));

        assertThat(id.status()).isEqualTo(400);
        assertThat(id.body().path("error").path("message").asText()).contains("_id");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body().path("error").path("message").asText()).contains("payment..card");
        assertThat(insert.status()).isEqualTo(400);
        assertThat(insert.body().path("error").path("message").asText()).contains("'insert' cannot be excluded");
        assertThat(api.get("/v1/pipes").body().findValuesAsText("name")).doesNotContain(db);
        assertThat(clickHouse.http().value("SELECT count() FROM system.databases WHERE name = '" + db + "'"))
            .isEqualTo("0");
    }
}
