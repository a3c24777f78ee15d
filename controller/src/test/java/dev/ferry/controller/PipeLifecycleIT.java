package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.Eventually;
import dev.ferry.common.MixedWorkload;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/**
 * A pipe created through the controller's REST API, run by the embedded Flink cluster, between the MongoDB
 * emulator (over TCP) and a real ClickHouse: the table equals the collection, and the states are the lifecycle's.
 */
@ExtendWith(ClickHouseExtension.class)
class PipeLifecycleIT extends WithController {

    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(120);

    private final ClickHouseServer clickHouse;
    private String mongoDatabase;
    private String clickHouseDatabase;

    PipeLifecycleIT(ClickHouseServer clickHouse) {
        this.clickHouse = clickHouse;
    }

    @BeforeEach
    void names() {
        mongoDatabase = "shop_" + UUID.randomUUID().toString().substring(0, 8);
        clickHouseDatabase = "dest_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private MongoCollection<Document> collection(String name) {
        return mongo.getDatabase(mongoDatabase).getCollection(name);
    }

    private String createPipe(String name, String collection) {
        return Pipes.create(api, Pipes.request(name, emulator.connectionString(), clickHouse.url(), clickHouseDatabase,
            mongoDatabase, collection, "{\"syncIntervalSeconds\": 1, \"pullBatchSize\": 5000}"));
    }

    @Test
    void aPipeLoadsTenThousandDocumentsThenAppliesAThousandMixedChanges() {
        MongoCollection<Document> orders = collection("orders");
        MixedWorkload.insertInitial(orders, 10_000);

        String id = createPipe("orders-" + mongoDatabase, "orders");
        Pipes.awaitState(api, id, "Running");
        Pipes.awaitEqual(clickHouse, clickHouseDatabase, "orders", orders);
        new MixedWorkload(orders, 3, 10_000).run(1_000);

        Pipes.awaitEqual(clickHouse, clickHouseDatabase, "orders", orders);
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void theStatesSeenThroughRestAreProvisioningSetupSnapshotRunningInThatOrder() {
        MongoCollection<Document> items = collection("items");
        MixedWorkload.insertInitial(items, 3_000);

        String id = createPipe("states-" + mongoDatabase, "items");
        List<String> seen = new ArrayList<>();
        Eventually.within(SYNC_TIMEOUT, () -> {
            String state = api.get("/v1/pipes/" + id).body().get("state").asText();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
                seen.add(state);
            }
            assertThat(state).isEqualTo("Running");
        });

        List<String> lifecycle = List.of("Provisioning", "Setup", "Snapshot", "Running");
        assertThat(lifecycle).containsSubsequence(seen);
        assertThat(Pipes.history(api, id)).isEqualTo(lifecycle);
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void tablesShowSnapshotProgressAndChangeCounts() {
        MongoCollection<Document> events = collection("events");
        MixedWorkload.insertInitial(events, 2_000);
        String id = createPipe("tables-" + mongoDatabase, "events");
        Pipes.awaitState(api, id, "Running");

        events.insertOne(new Document("_id", -1));
        events.deleteOne(new Document("_id", 5));
        Eventually.within(SYNC_TIMEOUT, () -> {
            JsonNode table = api.get("/v1/pipes/" + id + "/tables").body().get(0);
            assertThat(table.get("targetTable").asText()).isEqualTo("events");
            assertThat(table.get("source").asText()).isEqualTo(mongoDatabase + ".events");
            assertThat(table.at("/snapshot/status").asText()).isEqualTo("done");
            assertThat(table.at("/snapshot/rowsLoaded").asLong()).isEqualTo(2_000);
            assertThat(table.at("/snapshot/rowsEstimated").asLong()).isEqualTo(2_000);
            assertThat(table.at("/cdc/inserts").asLong()).isEqualTo(1);
            assertThat(table.at("/cdc/deletes").asLong()).isEqualTo(1);
            assertThat(table.at("/cdc/lastSyncedAt").isTextual()).isTrue();
        });
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void deletingAPipeStopsItAndKeepsItsTableUnlessAskedToDropIt() {
        MongoCollection<Document> kept = collection("kept");
        kept.insertOne(new Document("_id", 1));
        String id = createPipe("delete-" + mongoDatabase, "kept");
        Pipes.awaitState(api, id, "Running");
        Pipes.awaitEqual(clickHouse, clickHouseDatabase, "kept", kept);

        assertThat(api.delete("/v1/pipes/" + id).status()).isEqualTo(204);

        assertThat(api.get("/v1/pipes/" + id).status()).isEqualTo(404);
        assertThat(clickHouse.http().value("SELECT count() FROM " + clickHouseDatabase + ".kept FINAL")).isEqualTo("1");
    }

    @Test
    void deletingWithDropTablesAlsoDropsTheTables() {
        MongoCollection<Document> dropped = collection("dropped");
        dropped.insertOne(new Document("_id", 1));
        String id = createPipe("drop-" + mongoDatabase, "dropped");
        Pipes.awaitState(api, id, "Running");

        assertThat(api.delete("/v1/pipes/" + id + "?dropTables=true").status()).isEqualTo(204);

        assertThat(clickHouse.http().value("SELECT count() FROM system.tables WHERE database = '"
            + clickHouseDatabase + "' AND name = 'dropped'")).isEqualTo("0");
    }

}
