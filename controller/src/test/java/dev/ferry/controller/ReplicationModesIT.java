package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.mongodb.client.MongoCollection;

import dev.ferry.common.Eventually;
import dev.ferry.common.MixedWorkload;
import dev.ferry.common.Replicas;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/** {@code snapshot} pipes load and end in Completed; {@code cdc_only} pipes skip the load and replicate changes. */
@ExtendWith(ClickHouseExtension.class)
class ReplicationModesIT extends WithController {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static String create(ClickHouseServer clickHouse, String db, String mode) {
        RestApi.Reply reply = api.post("/v1/pipes", """
            {"name": "%s", "source": {"mongodb": {"uri": "%s"}},
             "destination": {"clickhouse": {"url": "%s", "database": "%s"}},
             "tableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "orders"}],
             "settings": {"syncIntervalSeconds": 1, "replicationMode": "%s"}}
            """.formatted(db, emulator.connectionString(), clickHouse.url(), db, db, mode));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(201);
        return reply.body().get("id").asText();
    }

    @Test
    void aSnapshotPipeLoadsEverythingAndEndsCompleted(ClickHouseServer clickHouse) {
        String db = "snaponly_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 1_500);

        String id = create(clickHouse, db, "snapshot");

        Eventually.within(TIMEOUT, () -> assertThat(Pipes.history(api, id))
            .containsExactly("Provisioning", "Setup", "Snapshot", "Completed"));
        Replicas.assertTableEquals(clickHouse, db, "orders", orders);
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void aCdcOnlyPipeGoesFromSetupToRunningAndReplicatesOnlyLaterChanges(ClickHouseServer clickHouse) {
        String db = "cdconly_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        orders.insertOne(new Document("_id", "before"));

        String id = create(clickHouse, db, "cdc_only");
        Eventually.within(TIMEOUT, () -> assertThat(Pipes.history(api, id)).containsExactly("Provisioning", "Setup", "Running"));
        orders.insertOne(new Document("_id", "after").append("v", 1));

        Eventually.within(TIMEOUT, () -> assertThat(Replicas.actual(clickHouse, db, "orders"))
            .isEqualTo(Map.of("after", "{\"_id\":\"after\",\"v\":1}")));
        api.delete("/v1/pipes/" + id);
    }
}
