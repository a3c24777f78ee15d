package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
 * A change stream further behind MongoDB than the pipe's lag threshold makes the pipe Degraded, and Running again
 * once it is within the threshold; the threshold is the controller's alone, so changing it restarts nothing.
 */
@ExtendWith(ClickHouseExtension.class)
class ChangeStreamLagIT extends WithController {

    @Test
    void aStreamBehindTheLagThresholdIsDegradedUntilItIsWithinIt(ClickHouseServer clickHouse) throws Exception {
        String db = "lag_" + UUID.randomUUID().toString().substring(0, 8);
        // an idle deployment's cluster time moves only once a minute here (mongod: every 10 s), so an idle
        // stream's position falls steadily behind the clock, past this threshold within seconds
        try (ReplicaSetEmulator slowClock = ReplicaSetEmulator.builder().noopInterval(Duration.ofSeconds(60)).start();
             MongoClient client = MongoClients.create(slowClock.connectionString())) {
            MongoCollection<Document> orders = client.getDatabase(db).getCollection("orders");
            MixedWorkload.insertInitial(orders, 200);
            String id = Pipes.create(api, Pipes.request(db, slowClock.connectionString(), clickHouse.url(), db, db,
                "orders", "{\"syncIntervalSeconds\": 1, \"lagThresholdSeconds\": 2}"));
            degradesThenRecovers(clickHouse, db, id, orders);
        }
    }

    private void degradesThenRecovers(ClickHouseServer clickHouse, String db, String id,
                                      MongoCollection<Document> orders) throws Exception {
        Eventually.within(Pipes.TIMEOUT, () -> {
            RestApi.Reply pipe = api.get("/v1/pipes/" + id);
            assertThat(pipe.body().get("state").asText()).isEqualTo("Degraded");
            assertThat(pipe.body().get("stateReason").asText()).contains("behind MongoDB")
                .contains("lagThresholdSeconds (2 s)");
        });
        RestApi.Reply raised = api.put("/v1/pipes/" + id + "/settings",
            "{\"syncIntervalSeconds\": 1, \"lagThresholdSeconds\": 3600}");
        assertThat(raised.status()).as(raised.body().toString()).isEqualTo(202);
        Pipes.awaitState(api, id, "Running");
        new MixedWorkload(orders, 61, 200).run(50);

        Eventually.within(Pipes.TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));
        assertThat(Pipes.history(api, id)).containsSubsequence("Degraded", "Running")
            .doesNotContain("Modifying", "Failed");
        api.delete("/v1/pipes/" + id);
    }
}
