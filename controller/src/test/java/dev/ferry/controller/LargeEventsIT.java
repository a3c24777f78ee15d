package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import dev.ferry.common.Eventually;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;
import dev.ferry.testkit.mongo.ServerVersion;

/**
 * A document near 16 MB updated with a large change makes a change event over 16 MB: on MongoDB 7.0 ferry reads it
 * in fragments and joins them, and the stream goes on; on 5.0, which cannot split it, the pipe fails naming the
 * document and what to do, instead of restarting forever.
 */
@ExtendWith(ClickHouseExtension.class)
class LargeEventsIT extends WithController {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);
    private static final int MB = 1024 * 1024;

    private static String request(String db, String mongoUri, String clickHouseUrl) {
        return Pipes.request(db, mongoUri, clickHouseUrl, db, db, "orders", "{\"syncIntervalSeconds\": 1}");
    }

    /** A 7 MB document and a small one; the big one then gets a 7 MB field: its event is 21 MB. */
    private static void bigDocumentUpdatedLargely(MongoCollection<Document> orders, Runnable betweenInsertAndUpdate) {
        orders.insertOne(new Document("_id", 1).append("blob", "b".repeat(7 * MB)));
        orders.insertOne(new Document("_id", 2).append("v", 0));
        betweenInsertAndUpdate.run();
        orders.updateOne(Filters.eq("_id", 1), Updates.set("notes", "n".repeat(7 * MB)));
        orders.updateOne(Filters.eq("_id", 2), Updates.set("v", 1));
    }

    @Test
    void anEventOver16MbIsReadInFragmentsAndTheStreamGoesOn(ClickHouseServer clickHouse) {
        String db = "large_" + UUID.randomUUID().toString().substring(0, 8);
        try (ReplicaSetEmulator seven = ReplicaSetEmulator.builder().port(0).serverVersion(ServerVersion.V7_0).start();
             MongoClient client = MongoClients.create(seven.connectionString())) {
            MongoCollection<Document> orders = client.getDatabase(db).getCollection("orders");
            String[] id = new String[1];
            bigDocumentUpdatedLargely(orders, () -> {
                id[0] = Pipes.create(api, request(db, seven.connectionString(), clickHouse.url()));
                Pipes.awaitState(api, id[0], "Running");
            });

            String table = "`" + db + "`.orders";
            Eventually.within(TIMEOUT, () -> assertThat(clickHouse.http().value("SELECT length(doc) > " + 14 * MB
                + " FROM " + table + " FINAL WHERE _id = '1'")).isEqualTo("1"));
            Eventually.within(TIMEOUT, () -> assertThat(clickHouse.http().value("SELECT doc FROM " + table
                + " FINAL WHERE _id = '2'")).contains("\"v\":1"));
            Pipes.awaitEqual(clickHouse, db, "orders", orders);
            assertThat(api.get("/v1/pipes/" + id[0]).body().path("state").asText()).isEqualTo("Running");
            api.delete("/v1/pipes/" + id[0]);
        }
    }

    @Test
    void onAServerThatCannotSplitItThePipeFailsNamingTheDocument(ClickHouseServer clickHouse) {
        String db = "large_old_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        String[] id = new String[1];
        bigDocumentUpdatedLargely(orders, () -> {
            id[0] = Pipes.create(api, request(db, emulator.connectionString(), clickHouse.url()));
            Pipes.awaitState(api, id[0], "Running");
        });

        Pipes.awaitState(api, id[0], "Failed");
        assertThat(api.get("/v1/pipes/" + id[0]).body().path("stateReason").asText())
            .contains("the document with _id 1 in " + db + ".orders").contains("16 MB").contains("7.0");
        api.delete("/v1/pipes/" + id[0]);
    }
}
