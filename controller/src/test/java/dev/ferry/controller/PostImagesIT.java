package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.ChangeStreamPreAndPostImagesOptions;
import com.mongodb.client.model.CreateCollectionOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import dev.ferry.common.Eventually;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;
import dev.ferry.testkit.mongo.ServerVersion;

/**
 * {@code settings.fullDocument: "postImage"} against a server reporting MongoDB 7.0: each update's row carries the
 * document as that update left it, even when another update followed at once; and the controller refuses it where
 * post-images are not kept, naming what lacks them.
 */
@ExtendWith(ClickHouseExtension.class)
class PostImagesIT extends WithController {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    private static String request(String name, String mongoUri, String clickHouseUrl, String db) {
        return Pipes.request(name, mongoUri, clickHouseUrl, db, db, "orders",
            "{\"syncIntervalSeconds\": 1, \"fullDocument\": \"postImage\"}");
    }

    @Test
    void anUpdateFollowedByAnotherBeforeTheStreamReadsItLeavesARowWithItsOwnPostImage(ClickHouseServer clickHouse) {
        String db = "post_" + UUID.randomUUID().toString().substring(0, 8);
        try (ReplicaSetEmulator seven = ReplicaSetEmulator.builder().port(0).serverVersion(ServerVersion.V7_0).start();
             MongoClient client = MongoClients.create(seven.connectionString())) {
            MongoDatabase database = client.getDatabase(db);
            database.createCollection("orders", new CreateCollectionOptions()
                .changeStreamPreAndPostImagesOptions(new ChangeStreamPreAndPostImagesOptions(true)));
            MongoCollection<Document> orders = database.getCollection("orders");
            orders.insertOne(new Document("_id", 1).append("step", 0));
            String id = Pipes.create(api, request(db, seven.connectionString(), clickHouse.url(), db));
            Pipes.awaitState(api, id, "Running");
            clickHouse.http().execute("SYSTEM STOP MERGES `" + db + "`.orders");
            // paused, so that the stream reads both updates only after both happened: a lookup would then find
            // the second's document for both, a post-image is each update's own
            assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"pause\"}").status()).isEqualTo(202);
            Pipes.awaitState(api, id, "Paused");

            orders.updateOne(Filters.eq("_id", 1), Updates.set("step", 1));
            orders.updateOne(Filters.eq("_id", 1), Updates.set("step", 2));
            assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resume\"}").status()).isEqualTo(202);

            String rows = "SELECT doc FROM `" + db + "`.orders WHERE _id = '1' ORDER BY _peerdb_version";
            Eventually.within(TIMEOUT, () -> assertThat(clickHouse.http().rows(rows)).hasSize(3));
            List<List<String>> docs = clickHouse.http().rows(rows);
            assertThat(docs.get(1).get(0)).as("the first update's row").contains("\"step\":1");
            assertThat(docs.get(2).get(0)).as("the second update's row").contains("\"step\":2");
            Pipes.awaitEqual(clickHouse, db, "orders", orders);
            api.delete("/v1/pipes/" + id);
        }
    }

    @Test
    void aCollectionWithoutPostImagesIsRefusedByName(ClickHouseServer clickHouse) {
        String db = "post_off_" + UUID.randomUUID().toString().substring(0, 8);
        try (ReplicaSetEmulator seven = ReplicaSetEmulator.builder().port(0).serverVersion(ServerVersion.V7_0).start();
             MongoClient client = MongoClients.create(seven.connectionString())) {
            client.getDatabase(db).getCollection("orders").insertOne(new Document("_id", 1));

            RestApi.Reply refused = api.post("/v1/pipes", request(db, seven.connectionString(), clickHouse.url(), db));

            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.body().path("error").path("message").asText()).contains(db + ".orders")
                .contains("changeStreamPreAndPostImages").contains("updateLookup");
        }
    }

    @Test
    void aServerBeforeSixIsRefused(ClickHouseServer clickHouse) {
        String db = "post_old_" + UUID.randomUUID().toString().substring(0, 8);
        mongo.getDatabase(db).getCollection("orders").insertOne(new Document("_id", 1));

        RestApi.Reply refused = api.post("/v1/pipes", request(db, emulator.connectionString(), clickHouse.url(), db));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().path("error").path("message").asText()).contains("6.0").contains("5.0");
    }
}
