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
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.Eventually;
import dev.ferry.common.MixedWorkload;
import dev.ferry.common.Replicas;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;

/** Pause stops the job with a savepoint; resume continues from it, losing nothing and loading nothing again. */
@ExtendWith(ClickHouseExtension.class)
class PauseResumeIT extends WithController {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static RestApi.Reply act(String id, String action) {
        return api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"" + action + "\"}");
    }

    @Test
    void aPausedPipeStopsReplicatingAndResumesWhereItStopped(ClickHouseServer clickHouse) throws Exception {
        String db = "pause_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 2_000);
        String id = runningPipe(clickHouse, db, "orders", "{\"syncIntervalSeconds\": 1}");
        clickHouse.http().execute("SYSTEM STOP MERGES " + db + ".orders");
        Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));

        assertThat(act(id, "pause").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Paused");
        assertThat(api.get("/v1/pipes/" + id).body().get("stateReason").asText()).contains("savepoint");
        orders.insertOne(new Document("_id", "written-while-paused"));
        Thread.sleep(3_000);
        assertThat(Replicas.actual(clickHouse, db, "orders")).doesNotContainKey("written-while-paused");
        assertThat(act(id, "pause").status()).as("pause when Paused").isEqualTo(409);

        assertThat(act(id, "resume").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Running");
        new MixedWorkload(orders, 5, 3_000).run(100);
        Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));

        assertThat(act(id, "resume").status()).as("resume when Running").isEqualTo(409);
        List<String> history = new ArrayList<>();
        api.get("/v1/pipes/" + id + "/history").body().forEach(t -> history.add(t.get("to").asText()));
        assertThat(history).containsSubsequence("Running", "Pausing", "Paused", "Running");
        assertThat(clickHouse.http().value("SELECT count() - uniqExact(_id) FROM " + db + ".orders WHERE "
            + "_peerdb_version = (SELECT min(_peerdb_version) FROM " + db + ".orders)")).as("second snapshot rows")
            .isEqualTo("0");
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void aPipePausedDuringItsSnapshotResumesWithoutLoadingFinishedCollectionsAgain(ClickHouseServer clickHouse)
        throws Exception {
        String db = "pause_snapshot_" + UUID.randomUUID().toString().substring(0, 8);
        // orders is slow to read (50 ms a batch of 200: about ten seconds), customers is not
        try (ReplicaSetEmulator slowOrders = ReplicaSetEmulator.builder()
                 .readLatency(db + ".orders", Duration.ofMillis(50)).start();
             MongoClient client = MongoClients.create(slowOrders.connectionString())) {
            MongoCollection<Document> customers = client.getDatabase(db).getCollection("customers");
            MongoCollection<Document> orders = client.getDatabase(db).getCollection("orders");
            MixedWorkload.insertInitial(customers, 200);
            MixedWorkload.insertInitial(orders, 40_000);
            String id = Pipes.create(api, Pipes.request(db, slowOrders.connectionString(), clickHouse.url(), db, db,
                List.of("customers", "orders"),
                "{\"syncIntervalSeconds\": 1, \"pullBatchSize\": 200, \"snapshotParallelTables\": 1}"));
            Eventually.within(TIMEOUT, () -> assertThat(snapshotStatus(id, "customers")).isEqualTo("done"));
            clickHouse.http().execute("SYSTEM STOP MERGES " + db + ".customers");
            assertThat(snapshotStatus(id, "orders")).as("orders still loading when paused").isEqualTo("running");

            assertThat(act(id, "pause").status()).isEqualTo(202);
            Pipes.awaitState(api, id, "Paused");
            new MixedWorkload(orders, 71, 40_000).run(100);
            new MixedWorkload(customers, 73, 200).run(50);
            assertThat(act(id, "resume").status()).isEqualTo(202);

            Pipes.awaitState(api, id, "Running");
            assertThat(Pipes.history(api, id))
                .containsSubsequence("Snapshot", "Pausing", "Paused", "Snapshot", "Running");
            Eventually.within(TIMEOUT, () -> {
                Replicas.assertTableEquals(clickHouse, db, "customers", customers);
                Replicas.assertTableEquals(clickHouse, db, "orders", orders);
            });
            assertThat(clickHouse.http().value("SELECT count() - uniqExact(_id) FROM " + db + ".customers WHERE "
                + "_peerdb_version = (SELECT min(_peerdb_version) FROM " + db + ".customers)"))
                .as("customers is not loaded again").isEqualTo("0");
            api.delete("/v1/pipes/" + id);
        }
    }

    @Test
    void aPausedPipeCanBeDeletedAndItsTableStays(ClickHouseServer clickHouse) {
        String db = "pause_delete_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 50);
        String id = runningPipe(clickHouse, db, "orders", "{\"syncIntervalSeconds\": 1}");
        assertThat(act(id, "pause").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Paused");

        assertThat(api.delete("/v1/pipes/" + id).status()).isEqualTo(204);

        assertThat(api.get("/v1/pipes/" + id).status()).isEqualTo(404);
        assertThat(clickHouse.http().value("SELECT count() FROM " + db + ".orders")).isNotEqualTo("0");
    }

    private static String snapshotStatus(String id, String table) {
        for (JsonNode row : api.get("/v1/pipes/" + id + "/tables").body()) {
            if (row.get("targetTable").asText().equals(table)) {
                return row.at("/snapshot/status").asText();
            }
        }
        throw new AssertionError("no table " + table);
    }

    @Test
    void anUnknownActionIsABadRequestAndAnActionTheStateDoesNotAllowIsAConflict(ClickHouseServer clickHouse) {
        String db = "act_" + UUID.randomUUID().toString().substring(0, 8);
        mongo.getDatabase(db).getCollection("c").insertOne(new Document("_id", 1));
        JsonNode pipe = api.post("/v1/pipes", """
            {"name": "%s", "source": {"mongodb": {"uri": "%s"}},
             "destination": {"clickhouse": {"url": "%s", "database": "%s"}},
             "tableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "c"}]}
            """.formatted(db, emulator.connectionString(), clickHouse.url(), db, db)).body();
        String id = pipe.get("id").asText();

        assertThat(act(id, "explode").status()).isEqualTo(400);
        assertThat(act(id, "resume").status()).as("resume of a pipe that is not paused").isEqualTo(409);
        api.delete("/v1/pipes/" + id);
    }
}
