package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.Eventually;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;

/**
 * Random documents of every BSON type and random writes (during the snapshot, while running, while paused, across
 * a savepoint restart of the job), after which {@code verify} must find the table equal to the collection. The
 * seed is printed, and {@code -Dferry.seed=N} replays a run.
 */
@ExtendWith(ClickHouseExtension.class)
class DifferentialIT extends WithController {

    @Test
    void randomDocumentsAndWritesEndWithTheTableEqualToTheCollection(ClickHouseServer clickHouse) throws Exception {
        long seed = Long.getLong("ferry.seed", System.nanoTime());
        System.out.println("DifferentialIT seed: " + seed + " (replay with -Dferry.seed=" + seed + ")");
        String db = "differential_" + UUID.randomUUID().toString().substring(0, 8);
        // reads of the collection are slow, so that the snapshot lasts while the writes below go on
        try (ReplicaSetEmulator slowReads = ReplicaSetEmulator.builder()
                 .readLatency(db + ".things", Duration.ofMillis(250)).start();
             MongoClient client = MongoClients.create(slowReads.connectionString())) {
            MongoCollection<BsonDocument> things = client.getDatabase(db).getCollection("things", BsonDocument.class);
            RandomDocuments random = new RandomDocuments(seed);
            random.insert(things, 400);
            String id = Pipes.create(api, Pipes.request(db, slowReads.connectionString(), clickHouse.url(), db, db,
                "things", "{\"syncIntervalSeconds\": 1, \"pullBatchSize\": 20}"));
            Pipes.awaitState(api, id, "Snapshot");
            int duringSnapshot = 0;
            while (api.get("/v1/pipes/" + id).body().get("state").asText().equals("Snapshot")) {
                random.mutate(things, 10);
                duringSnapshot += 10;
            }
            assertThat(duringSnapshot).as("writes during the snapshot").isPositive();
            runTheRest(id, things, random, seed);
        }
    }

    private void runTheRest(String id, MongoCollection<BsonDocument> things,
                            RandomDocuments random, long seed) {
        Pipes.awaitState(api, id, "Running");
        random.mutate(things, 150);

        assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"pause\"}").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Paused");
        random.mutate(things, 150);
        assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resume\"}").status()).isEqualTo(202);
        random.mutate(things, 100);
        Pipes.awaitState(api, id, "Running");

        // new settings restart the job from a savepoint while writes go on
        assertThat(api.put("/v1/pipes/" + id + "/settings", "{\"syncIntervalSeconds\": 2, \"pullBatchSize\": 70}")
            .status()).isEqualTo(202);
        random.mutate(things, 150);
        Eventually.within(Pipes.TIMEOUT, () -> assertThat(Pipes.history(api, id))
            .containsSubsequence("Paused", "Running", "Modifying", "Running").endsWith("Running"));
        random.mutate(things, 100);

        Eventually.within(Pipes.TIMEOUT, () -> {
            JsonNode report = api.get("/v1/pipes/" + id + "/verify").body();
            assertThat(report.get("equal").asBoolean()).as("seed " + seed + ": " + report.toPrettyString()).isTrue();
        });
        api.delete("/v1/pipes/" + id);
    }
}
