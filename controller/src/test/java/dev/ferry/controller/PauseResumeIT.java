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

import dev.ferry.job.Eventually;
import dev.ferry.job.MixedWorkload;
import dev.ferry.job.Replicas;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/** Pause stops the job with a savepoint; resume continues from it, losing nothing and loading nothing again. */
@ExtendWith(ClickHouseExtension.class)
class PauseResumeIT extends WithController {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static RestApi.Reply act(String id, String action) {
        return api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"" + action + "\"}");
    }

    private static void awaitState(String id, String state) {
        Eventually.within(TIMEOUT, () -> assertThat(api.get("/v1/pipes/" + id).body().get("state").asText())
            .isEqualTo(state));
    }

    @Test
    void aPausedPipeStopsReplicatingAndResumesWhereItStopped(ClickHouseServer clickHouse) throws Exception {
        String db = "pause_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 2_000);
        String id = Pipes.create(api, Pipes.request(db, emulator.connectionString(), clickHouse.url(), db, db, "orders",
            "{\"syncIntervalSeconds\": 1}"));
        awaitState(id, "Running");
        clickHouse.http().execute("SYSTEM STOP MERGES " + db + ".orders");
        Eventually.within(TIMEOUT, () -> assertThat(Replicas.actual(clickHouse, db, "orders"))
            .isEqualTo(Replicas.expected(orders)));

        assertThat(act(id, "pause").status()).isEqualTo(202);
        awaitState(id, "Paused");
        assertThat(api.get("/v1/pipes/" + id).body().get("stateReason").asText()).contains("savepoint");
        orders.insertOne(new Document("_id", "written-while-paused"));
        Thread.sleep(3_000);
        assertThat(Replicas.actual(clickHouse, db, "orders")).doesNotContainKey("written-while-paused");
        assertThat(act(id, "pause").status()).as("pause when Paused").isEqualTo(409);

        assertThat(act(id, "resume").status()).isEqualTo(202);
        awaitState(id, "Running");
        new MixedWorkload(orders, 5, 3_000).run(100);
        Eventually.within(TIMEOUT, () -> assertThat(Replicas.actual(clickHouse, db, "orders"))
            .isEqualTo(Replicas.expected(orders)));

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
