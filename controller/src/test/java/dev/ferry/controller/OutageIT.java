package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import dev.ferry.common.MixedWorkload;
import dev.ferry.common.Replicas;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;
import dev.ferry.testkit.net.TcpProxy;

/**
 * An outage of MongoDB or of ClickHouse makes a running pipe Degraded, not Failed, and it recovers by itself,
 * losing nothing; only when
 * Flink's restart strategy gives up is the pipe Failed, and a resync brings it back.
 */
@ExtendWith(ClickHouseExtension.class)
class OutageIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path directory;

    private static ReplicaSetEmulator mongoAt(int port, Path dataFile) {
        return ReplicaSetEmulator.builder().port(port).dataFile(dataFile).start();
    }

    @Test
    void aMongoDbOutageDegradesThePipeWhichRecoversWhenTheServerIsBack(ClickHouseServer clickHouse) throws Exception {
        int mongoPort = TestControllers.freePort();
        Path dataFile = directory.resolve("mongo.mv");
        String db = "outage_" + UUID.randomUUID().toString().substring(0, 8);
        // the pipe's own connection string gives up on an unreachable server after 3 seconds
        String uri = "mongodb://127.0.0.1:" + mongoPort + "/?replicaSet=rs0&serverSelectionTimeoutMS=3000";
        ReplicaSetEmulator mongo = mongoAt(mongoPort, dataFile);
        try (Controller controller = TestControllers.start(directory.resolve("ferry"))) {
            RestApi api = new RestApi(controller.url());
            try (MongoClient client = MongoClients.create(mongo.connectionString())) {
                MixedWorkload.insertInitial(client.getDatabase(db).getCollection("orders"), 500);
            }
            String id = api.post("/v1/pipes", """
                {"name": "outage", "source": {"mongodb": {"uri": "%s"}},
                 "destination": {"clickhouse": {"url": "%s", "database": "%s"}},
                 "tableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "orders"}],
                 "settings": {"syncIntervalSeconds": 1}}
                """.formatted(uri, clickHouse.url(), db, db)).body().get("id").asText();
            Pipes.awaitState(api, id, "Running");
            // a checkpoint after the snapshot, so that recovery does not depend on the start position
            Thread.sleep(11_000);

            mongo.close();
            Pipes.awaitState(api, id, "Degraded");
            mongo = mongoAt(mongoPort, dataFile);
            try (MongoClient client = MongoClients.create(mongo.connectionString())) {
                MongoCollection<Document> orders = client.getDatabase(db).getCollection("orders");
                new MixedWorkload(orders, 21, 500).run(100);
                Pipes.awaitState(api, id, "Running");
                Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));
            }
            List<String> states = new ArrayList<>();
            api.get("/v1/pipes/" + id + "/history").body().forEach(t -> states.add(t.get("to").asText()));
            assertThat(states).containsSubsequence("Running", "Degraded", "Running").doesNotContain("Failed");
        } finally {
            mongo.close();
        }
    }

    @Test
    void aJobThatKeepsFailingIsDegradedThenFailedWhenFlinkGivesUpAndAResyncRecoversIt(ClickHouseServer clickHouse)
        throws Exception {
        int mongoPort = TestControllers.freePort();
        Path dataFile = directory.resolve("mongo.mv");
        String db = "giving_up_" + UUID.randomUUID().toString().substring(0, 8);
        String uri = "mongodb://127.0.0.1:" + mongoPort + "/?replicaSet=rs0&serverSelectionTimeoutMS=2000";
        ReplicaSetEmulator mongo = mongoAt(mongoPort, dataFile);
        try (Controller controller = TestControllers.start(directory.resolve("ferry"),
            flinkConfGivingUpAfterThreeRestarts(TestControllers.FLINK_CONF), TestControllers.freePort())) {
            RestApi api = new RestApi(controller.url());
            try (MongoClient client = MongoClients.create(mongo.connectionString())) {
                MixedWorkload.insertInitial(client.getDatabase(db).getCollection("orders"), 300);
            }
            String id = Pipes.create(api, Pipes.request("giving-up", uri, clickHouse.url(), db, db, "orders",
                "{\"syncIntervalSeconds\": 1}"));
            Pipes.awaitState(api, id, "Running");

            mongo.close();
            Eventually.within(TIMEOUT, () -> {
                RestApi.Reply pipe = api.get("/v1/pipes/" + id);
                assertThat(pipe.body().get("state").asText()).isEqualTo("Failed");
                assertThat(pipe.body().get("stateReason").asText()).contains("the Flink job failed")
                    .contains("resync");
            });
            assertThat(Pipes.history(api, id)).containsSubsequence("Running", "Degraded", "Failed");

            mongo = mongoAt(mongoPort, dataFile);
            try (MongoClient client = MongoClients.create(mongo.connectionString())) {
                MongoCollection<Document> orders = client.getDatabase(db).getCollection("orders");
                new MixedWorkload(orders, 23, 300).run(60);
                RestApi.Reply resync = api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resync\"}");
                assertThat(resync.status()).as(resync.body().toString()).isEqualTo(202);
                Eventually.within(TIMEOUT, () -> assertThat(Pipes.history(api, id))
                    .containsSubsequence("Failed", "Snapshot", "Resync", "Running").endsWith("Running"));
                Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));
            }
        } finally {
            mongo.close();
        }
    }

    @Test
    void aClickHouseOutageDegradesThePipeWhichRecoversWhenTheServerIsBackAndTheWebhookHearsOfBoth(
        ClickHouseServer clickHouse) throws Exception {
        String db = "ch_outage_" + UUID.randomUUID().toString().substring(0, 8);
        try (WebhookReceiver webhook = WebhookReceiver.refusingFirst(1);
             TcpProxy toClickHouse = TcpProxy.to(clickHouse.httpPort());
             ReplicaSetEmulator mongo = ReplicaSetEmulator.start();
             MongoClient client = MongoClients.create(mongo.connectionString());
             Controller controller = TestControllers.start(directory.resolve("ferry"))) {
            RestApi api = new RestApi(controller.url());
            MongoCollection<Document> orders = client.getDatabase(db).getCollection("orders");
            MixedWorkload.insertInitial(orders, 300);
            String id = Pipes.create(api, Pipes.request("ch-outage", mongo.connectionString(),
                "http://127.0.0.1:" + toClickHouse.port(), db, db, "orders", "{\"syncIntervalSeconds\": 1, "
                    + "\"alerts\": {\"webhookUrl\": \"" + webhook.url() + "\", \"on\": [\"Degraded\", \"Running\"]}}"));
            Pipes.awaitState(api, id, "Running");
            // a checkpoint after the snapshot, so that recovery does not depend on the start position
            Thread.sleep(11_000);

            toClickHouse.cut();
            new MixedWorkload(orders, 29, 300).run(100);
            Pipes.awaitState(api, id, "Degraded");
            toClickHouse.restore();

            Pipes.awaitState(api, id, "Running");
            Pipes.awaitEqual(clickHouse, db, "orders", orders);
            assertThat(Pipes.history(api, id)).containsSubsequence("Running", "Degraded", "Running")
                .doesNotContain("Failed");
            // the first delivery was refused (503) and tried again; none is lost
            Eventually.within(TIMEOUT, () -> assertThat(webhook.statesOf("ch-outage"))
                .containsExactly("Running", "Degraded", "Running"));
            assertThat(webhook.accepted().get(1).path("from").asText()).isEqualTo("Running");
            assertThat(webhook.accepted().get(1).path("reason").asText()).isNotEmpty();
            assertThat(webhook.accepted().get(1).path("at").asText()).isNotEmpty();
            assertThat(api.get("/v1/pipes/" + id + "/settings").body().at("/alerts/webhookUrl").asText())
                .doesNotContain("t0k3n");
            assertThat(new RestApi(controller.url()).text("/metrics"))
                .contains("ferry_alert_delivery_failures_total{pipe=\"ch-outage\"} 1.0")
                .contains("ferry_alert_deliveries_total{pipe=\"ch-outage\"} 3.0");
            // the outage is kept among the pipe's errors, with when it began and when it was over
            JsonNode errors = api.get("/v1/pipes/" + id + "/errors").body();
            assertThat(errors).anySatisfy(error -> {
                assertThat(error.path("code").asText()).isEqualTo("job_restarting");
                assertThat(error.path("state").asText()).isEqualTo("Degraded");
                assertThat(error.path("message").asText()).contains("restarting after an error");
                assertThat(java.time.Instant.parse(error.path("resolvedAt").asText()))
                    .isAfter(java.time.Instant.parse(error.path("at").asText()));
            });
        }
    }

    /** The project's Flink configuration, except that a job is given up after three failed restarts. */
    private Path flinkConfGivingUpAfterThreeRestarts(Path flinkConf) throws Exception {
        Path copy = Files.createDirectories(directory.resolve("flink-conf"));
        List<String> lines = new ArrayList<>(Files.readAllLines(flinkConf.resolve("config.yaml")).stream()
            .filter(line -> !line.startsWith("restart-strategy")).toList());
        lines.addAll(List.of("restart-strategy.type: fixed-delay", "restart-strategy.fixed-delay.attempts: 3",
            "restart-strategy.fixed-delay.delay: 2s"));
        Files.write(copy.resolve("config.yaml"), lines);
        return copy;
    }

}
