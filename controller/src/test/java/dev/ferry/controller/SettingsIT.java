package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

/** New settings reach a running pipe through a savepoint and a restart (Modifying), without loss. */
@ExtendWith(ClickHouseExtension.class)
class SettingsIT extends WithController {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void newSettingsAreAppliedThroughASavepointAndARestart(ClickHouseServer clickHouse) {
        String db = "settings_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 1_000);
        String id = runningPipe(clickHouse, db, "orders", "{\"syncIntervalSeconds\": 1}");

        RestApi.Reply put = api.put("/v1/pipes/" + id + "/settings",
            "{\"syncIntervalSeconds\": 2, \"pullBatchSize\": 500}");

        assertThat(put.status()).as(put.body().toString()).isEqualTo(202);
        assertThat(api.get("/v1/pipes/" + id + "/settings").body().get("pullBatchSize").asInt()).isEqualTo(500);
        Eventually.within(TIMEOUT, () -> {
            List<String> states = new ArrayList<>();
            api.get("/v1/pipes/" + id + "/history").body().forEach(t -> states.add(t.get("to").asText()));
            assertThat(states).containsSubsequence("Running", "Modifying", "Running");
        });
        new MixedWorkload(orders, 8, 1_000).run(100);
        Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));

        assertThat(api.put("/v1/pipes/" + id + "/settings", "{\"replicationMode\": \"snapshot\"}").status())
            .isEqualTo(422);
        assertThat(api.put("/v1/pipes/" + id + "/settings", "{\"pullBatchSize\": 0}").status()).isEqualTo(400);
        api.delete("/v1/pipes/" + id);
    }
}
