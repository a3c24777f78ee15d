package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.Eventually;
import dev.ferry.common.MixedWorkload;
import dev.ferry.common.Replicas;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;

/**
 * A controller stopped while its pipe runs, with writes going on meanwhile, and started again on the same data
 * directory: the pipe's job continues from its latest checkpoint, nothing is lost and the snapshot is not redone.
 */
@ExtendWith(ClickHouseExtension.class)
class ControllerRestartIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dataDirectory;

    private Controller start(int flinkPort) throws Exception {
        return TestControllers.start(dataDirectory, TestControllers.FLINK_CONF, flinkPort);
    }

    @Test
    void aRestartedControllerRestoresItsPipesJobFromTheLatestCheckpoint(ClickHouseServer clickHouse) throws Exception {
        String mongoDatabase = "restart_" + UUID.randomUUID().toString().substring(0, 8);
        String clickHouseDatabase = "restartd_" + UUID.randomUUID().toString().substring(0, 8);
        clickHouse.http().execute("CREATE DATABASE " + clickHouseDatabase);
        // with merges stopped, a second snapshot would show as a second row per document
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.start();
             MongoClient mongo = MongoClients.create(emulator.connectionString())) {
            MongoCollection<Document> orders = mongo.getDatabase(mongoDatabase).getCollection("orders");
            MixedWorkload.insertInitial(orders, 1_000);
            String request = """
                {"name": "restart", "source": {"mongodb": {"uri": "%s"}},
                 "destination": {"clickhouse": {"url": "%s", "database": "%s"}},
                 "tableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "orders"}],
                 "settings": {"syncIntervalSeconds": 1}}
                """.formatted(emulator.connectionString(), clickHouse.url(), clickHouseDatabase, mongoDatabase);

            String id;
            try (Controller first = start(TestControllers.freePort())) {
                RestApi api = new RestApi(first.url());
                id = api.post("/v1/pipes", request).body().get("id").asText();
                Pipes.awaitState(api, id, "Running");
                clickHouse.http().execute("SYSTEM STOP MERGES " + clickHouseDatabase + ".orders");
                new MixedWorkload(orders, 11, 1_000).run(200);
                awaitEqual(clickHouse, clickHouseDatabase, orders);
                // the embedded cluster checkpoints every 10 seconds
                Thread.sleep(12_000);
            }
            new MixedWorkload(orders, 12, 5_000).run(200);

            try (Controller second = start(TestControllers.freePort())) {
                RestApi api = new RestApi(second.url());
                awaitEqual(clickHouse, clickHouseDatabase, orders);
                assertThat(api.get("/v1/pipes/" + id).body().get("state").asText()).isEqualTo("Running");
                java.util.List<String> states = new java.util.ArrayList<>();
                api.get("/v1/pipes/" + id + "/history").body().forEach(t -> states.add(t.get("to").asText()));
                assertThat(states).as("no state change on restore").containsExactly("Provisioning", "Setup",
                    "Snapshot", "Running");
            }
            assertThat(clickHouse.http().value("SELECT count() - uniqExact(_id) FROM " + clickHouseDatabase
                + ".orders WHERE _peerdb_version = (SELECT min(_peerdb_version) FROM " + clickHouseDatabase
                + ".orders)")).as("rows of a second snapshot").isEqualTo("0");
        }
    }

    private static void awaitEqual(ClickHouseServer clickHouse, String database, MongoCollection<Document> orders) {
        Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, database, "orders", orders));
    }

}
