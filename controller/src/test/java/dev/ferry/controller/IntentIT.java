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
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;
import dev.ferry.testkit.net.TcpProxy;

/**
 * What the user asked for is never dropped: a pause asked at any moment ends Paused and resumes with nothing lost,
 * the state read right after an accepted action is the state it leads into, and a pipe that failed in its setup
 * comes back through a resync.
 */
@ExtendWith(ClickHouseExtension.class)
class IntentIT extends WithController {

    private static final String SETTINGS = "{\"syncIntervalSeconds\": 1, \"pullBatchSize\": 200}";

    private static String database(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static RestApi.Reply act(String id, String action) {
        RestApi.Reply reply = api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"" + action + "\"}");
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(202);
        return reply;
    }

    private static String state(String id) {
        return api.get("/v1/pipes/" + id).body().get("state").asText();
    }

    @Test
    void aPauseAskedRightAfterCreationEndsPausedWithoutAJobAndResumeStartsIt(ClickHouseServer clickHouse) {
        String db = database("pause_at_once");
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 300);
        String id = Pipes.create(api, Pipes.request(db, emulator.connectionString(), clickHouse.url(), db, db,
            "orders", SETTINGS));

        assertThat(act(id, "pause").body().get("state").asText()).isEqualTo("Paused");
        Pipes.awaitState(api, id, "Paused");
        assertThat(api.get("/v1/pipes/" + id).body().get("flinkJobId").isNull()).as("no job started").isTrue();
        new MixedWorkload(orders, 5, 300).run(50);

        assertThat(act(id, "resume").body().get("state").asText()).isIn("Provisioning", "Setup");
        Pipes.awaitState(api, id, "Running");
        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        api.delete("/v1/pipes/" + id);
    }

    /**
     * Three pipes over a collection slow to read, each paused as soon as it shows Snapshot: while its tasks still
     * deploy, the savepoint is refused, and the pause is tried again until it is taken.
     */
    @Test
    void aPauseAskedAsSoonAsTheSnapshotShowsEndsPausedAndResumesWithNothingLost(ClickHouseServer clickHouse)
        throws Exception {
        List<String> dbs = List.of(database("early_a"), database("early_b"), database("early_c"));
        ReplicaSetEmulator.Builder slow = ReplicaSetEmulator.builder();
        dbs.forEach(db -> slow.readLatency(db + ".orders", Duration.ofMillis(20)));
        try (ReplicaSetEmulator slowMongo = slow.start();
             MongoClient client = MongoClients.create(slowMongo.connectionString())) {
            List<String> ids = new ArrayList<>();
            for (String db : dbs) {
                MixedWorkload.insertInitial(client.getDatabase(db).getCollection("orders"), 3_000);
                ids.add(Pipes.create(api, Pipes.request(db, slowMongo.connectionString(), clickHouse.url(), db, db,
                    "orders", SETTINGS)));
            }
            for (String id : ids) {
                Eventually.within(Pipes.TIMEOUT, () -> assertThat(state(id)).isEqualTo("Snapshot"));
                assertThat(act(id, "pause").body().get("state").asText()).isEqualTo("Pausing");
            }
            for (int i = 0; i < ids.size(); i++) {
                Pipes.awaitState(api, ids.get(i), "Paused");
                new MixedWorkload(client.getDatabase(dbs.get(i)).getCollection("orders"), 11 + i, 3_000).run(100);
                assertThat(act(ids.get(i), "resume").body().get("state").asText()).isNotEqualTo("Paused");
            }
            for (int i = 0; i < ids.size(); i++) {
                Pipes.awaitState(api, ids.get(i), "Running");
                Pipes.awaitEqual(clickHouse, dbs.get(i), "orders", client.getDatabase(dbs.get(i)).getCollection("orders"));
                assertThat(Pipes.history(api, ids.get(i))).containsSubsequence("Snapshot", "Pausing", "Paused")
                    .doesNotContainSequence("Pausing", "Running");
                api.delete("/v1/pipes/" + ids.get(i));
            }
        }
    }

    /** The job restarts over and over while ClickHouse is away: the pause waits until a savepoint can be taken. */
    @Test
    void aPauseAskedWhileTheJobRestartsAfterAnOutageEndsPausedOnceItRunsAgain(ClickHouseServer clickHouse)
        throws Exception {
        String db = database("pause_restarting");
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 500);
        try (TcpProxy proxy = TcpProxy.to(clickHouse.httpPort())) {
            String id = Pipes.create(api, Pipes.request(db, emulator.connectionString(), "http://127.0.0.1:"
                + proxy.port(), db, db, "orders", SETTINGS));
            Pipes.awaitState(api, id, "Running");
            Pipes.awaitEqual(clickHouse, db, "orders", orders);

            proxy.cut();
            new MixedWorkload(orders, 7, 500).run(50);
            Pipes.awaitState(api, id, "Degraded");
            assertThat(act(id, "pause").body().get("state").asText()).isEqualTo("Pausing");
            Thread.sleep(5_000);
            assertThat(state(id)).as("still pausing while the job cannot run").isEqualTo("Pausing");
            proxy.restore();

            Pipes.awaitState(api, id, "Paused");
            new MixedWorkload(orders, 8, 600).run(50);
            act(id, "resume");
            Pipes.awaitState(api, id, "Running");
            Pipes.awaitEqual(clickHouse, db, "orders", orders);
            api.delete("/v1/pipes/" + id);
        }
    }

    /** Each accepted action answers with the state it leads into, and a read right after agrees. */
    @Test
    void theStateReadRightAfterEachAcceptedActionIsTheStateItLeadsInto(ClickHouseServer clickHouse) {
        String db = database("intent");
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MongoCollection<Document> customers = mongo.getDatabase(db).getCollection("customers");
        MixedWorkload.insertInitial(orders, 200);
        MixedWorkload.insertInitial(customers, 100);
        String id = runningPipe(clickHouse, db, "orders", SETTINGS);

        assertLeadsInto(id, api.patch("/v1/pipes/" + id, """
            {"addTableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "customers"}]}""".formatted(db)),
            "Modifying");
        Pipes.awaitState(api, id, "Running");
        assertLeadsInto(id, api.put("/v1/pipes/" + id + "/settings", "{\"syncIntervalSeconds\": 2}"), "Modifying");
        Pipes.awaitState(api, id, "Running");
        assertLeadsInto(id, api.post("/v1/pipes/" + id + "/tables/orders/resync", ""), "Modifying");
        Pipes.awaitState(api, id, "Running");
        assertLeadsInto(id, api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"pause\"}"), "Pausing");
        Pipes.awaitState(api, id, "Paused");
        assertLeadsInto(id, api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resume\"}"), "Running");
        Pipes.awaitState(api, id, "Running");
        assertLeadsInto(id, api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resync\"}"), "Snapshot");
        Pipes.awaitState(api, id, "Running");

        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        Pipes.awaitEqual(clickHouse, db, "customers", customers);
        api.delete("/v1/pipes/" + id);
    }

    private static void assertLeadsInto(String id, RestApi.Reply reply, String state) {
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(202);
        JsonNode read = api.get("/v1/pipes/" + id).body();
        assertThat(reply.body().get("state").asText()).as(reply.body().toString()).isEqualTo(state);
        assertThat(read.get("state").asText()).as(read.toString()).isIn(state, nextOf(state));
        assertThat(read.get("generation").asLong()).isEqualTo(reply.body().get("generation").asLong());
    }

    /** The state that may follow within the moment between the answer and the read. */
    private static String nextOf(String state) {
        return switch (state) {
            case "Modifying" -> "Setup";
            case "Pausing" -> "Paused";
            default -> state;
        };
    }

    /**
     * A pipe whose ClickHouse user may only read passes the checks at creation (they only read) and fails in
     * Setup, for good: a permission does not come back by itself. Once the user may write, a resync sets it up.
     */
    @Test
    void aPipeThatFailedInSetupRecoversThroughAResync(ClickHouseServer clickHouse) {
        String db = database("setup_failed");
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 200);
        clickHouse.putUser("setup_user", "pw", true);
        String id = Pipes.create(api, """
            {"name": "%s", "source": {"mongodb": {"uri": "%s"}},
             "destination": {"clickhouse": {"url": "%s", "database": "%s",
                                            "credentials": {"username": "setup_user", "password": "pw"}}},
             "tableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "orders"}],
             "settings": %s}""".formatted(db, emulator.connectionString(), clickHouse.url(), db, db, SETTINGS));

        Pipes.awaitState(api, id, "Failed");
        assertThat(api.get("/v1/pipes/" + id).body().get("stateReason").asText()).contains("Code: 164")
            .contains("resync");
        clickHouse.putUser("setup_user", "pw", false);

        assertThat(act(id, "resync").body().get("state").asText()).isEqualTo("Setup");
        Pipes.awaitState(api, id, "Running");
        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        assertThat(Pipes.history(api, id)).containsSubsequence("Setup", "Failed", "Setup", "Snapshot", "Running");
        api.delete("/v1/pipes/" + id);
    }
}
