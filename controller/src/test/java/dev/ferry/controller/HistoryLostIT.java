package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.Eventually;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;

/**
 * A pipe paused for longer than MongoDB keeps change history cannot resume: it is Failed and says to resync. A pipe
 * whose own collections were idle while others were busy has kept its position moving, and resumes.
 */
@ExtendWith(ClickHouseExtension.class)
class HistoryLostIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path directory;

    @Test
    void resumingPastTheOplogWindowFailsThePipeWithAReasonToResync(ClickHouseServer clickHouse) throws Exception {
        String db = "lost_" + UUID.randomUUID().toString().substring(0, 8);
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.builder().changeLogSize(30).start();
             MongoClient mongo = MongoClients.create(emulator.connectionString());
             Controller controller = TestControllers.start(directory)) {
            RestApi api = new RestApi(controller.url());
            MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
            orders.insertOne(new Document("_id", 0));
            String id = api.post("/v1/pipes", """
                {"name": "lost", "source": {"mongodb": {"uri": "%s"}},
                 "destination": {"clickhouse": {"url": "%s", "database": "%s"}},
                 "tableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "orders"}],
                 "settings": {"syncIntervalSeconds": 1}}
                """.formatted(emulator.connectionString(), clickHouse.url(), db, db)).body().get("id").asText();
            Eventually.within(TIMEOUT, () -> assertThat(state(api, id).get("state").asText()).isEqualTo("Running"));

            api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"pause\"}");
            Eventually.within(TIMEOUT, () -> assertThat(state(api, id).get("state").asText()).isEqualTo("Paused"));
            for (int i = 1; i <= 100; i++) {
                orders.insertOne(new Document("_id", i));
            }
            api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resume\"}");

            Eventually.within(TIMEOUT, () -> {
                JsonNode pipe = state(api, id);
                assertThat(pipe.get("state").asText()).isEqualTo("Failed");
                assertThat(pipe.get("stateReason").asText()).contains("ChangeStreamHistoryLost").contains("resync");
            });
        }
    }

    @Test
    void anIdleStreamOnABusyDeploymentKeepsItsPositionAndResumesAfterTheLogRolledOver(ClickHouseServer clickHouse)
        throws Exception {
        String db = "idle_" + UUID.randomUUID().toString().substring(0, 8);
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.builder().changeLogSize(50).start();
             MongoClient mongo = MongoClients.create(emulator.connectionString());
             Controller controller = TestControllers.start(directory)) {
            RestApi api = new RestApi(controller.url());
            MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
            orders.insertOne(new Document("_id", 0));
            String id = Pipes.create(api, Pipes.request("idle", emulator.connectionString(), clickHouse.url(), db, db,
                "orders", "{\"syncIntervalSeconds\": 1}"));
            Pipes.awaitState(api, id, "Running");

            // ten times the change log's size, none of it for the pipe, over five seconds of the stream's polling:
            // 100 writes a second, paced so that the log (50 events) never rolls over between two of its reads
            MongoCollection<Document> busy = mongo.getDatabase(db).getCollection("busy");
            for (int i = 0; i < 500; i++) {
                busy.insertOne(new Document("_id", i));
                if (i % 5 == 4) {
                    Thread.sleep(50);
                }
            }
            Thread.sleep(2_000);
            api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"pause\"}");
            Pipes.awaitState(api, id, "Paused");
            api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resume\"}");
            Pipes.awaitState(api, id, "Running");
            orders.insertOne(new Document("_id", "after-resume"));

            Pipes.awaitEqual(clickHouse, db, "orders", orders);
            assertThat(Pipes.history(api, id)).doesNotContain("Failed");
        }
    }

    private static JsonNode state(RestApi api, String id) {
        return api.get("/v1/pipes/" + id).body();
    }

}
