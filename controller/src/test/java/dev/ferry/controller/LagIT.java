package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.Eventually;
import dev.ferry.common.MixedWorkload;
import dev.ferry.common.Replicas;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.net.TcpProxy;

/**
 * A pipe's lag is how far what ClickHouse has committed is behind MongoDB, from end to end: it grows while a paused
 * pipe has writes waiting, and while a destination that hangs keeps the job's rows from it (the pipe is then
 * Degraded past its threshold, and the error is kept), and it falls back once they are in.
 */
@ExtendWith(ClickHouseExtension.class)
class LagIT extends WithController {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    private static double lag(String id) {
        JsonNode lag = api.get("/v1/pipes/" + id).body().path("lagSeconds");
        assertThat(lag.isNumber()).as("lagSeconds " + lag).isTrue();
        return lag.asDouble();
    }

    @Test
    void aPausedPipeWithWritesWaitingShowsALagThatGrowsAndOnceResumedFallsUnderTwoSeconds(ClickHouseServer clickHouse)
        throws Exception {
        String db = "paused_lag_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 500);
        String id = runningPipe(clickHouse, db, "orders", "{\"syncIntervalSeconds\": 1}");
        Eventually.within(TIMEOUT, () -> assertThat(lag(id)).isLessThan(2));

        assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"pause\"}").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Paused");
        new MixedWorkload(orders, 3, 500).run(50);
        Eventually.within(TIMEOUT, () -> assertThat(lag(id)).isPositive());
        double first = lag(id);
        Thread.sleep(3_000);
        assertThat(lag(id)).as("the lag a second reading shows").isGreaterThanOrEqualTo(first + 2);

        assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resume\"}").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Running");
        Eventually.within(TIMEOUT, () -> assertThat(lag(id)).isLessThan(2));
        Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void aDestinationThatHangsMakesThePipeDegradedByItsLagUntilItsRowsAreInAgain(ClickHouseServer clickHouse) {
        String db = "hung_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 200);
        try (TcpProxy toClickHouse = TcpProxy.to(clickHouse.httpPort())) {
            String id = Pipes.create(api, Pipes.request(db, emulator.connectionString(),
                "http://127.0.0.1:" + toClickHouse.port(), db, db, "orders",
                "{\"syncIntervalSeconds\": 1, \"lagThresholdSeconds\": 3}"));
            Pipes.awaitState(api, id, "Running");
            Eventually.within(TIMEOUT, () -> assertThat(lag(id)).isLessThan(2));

            toClickHouse.stall();
            new MixedWorkload(orders, 5, 200).run(20);
            Eventually.within(TIMEOUT, () -> {
                JsonNode pipe = api.get("/v1/pipes/" + id).body();
                assertThat(pipe.path("state").asText()).isEqualTo("Degraded");
                assertThat(pipe.path("stateReason").asText()).contains("behind MongoDB")
                    .contains("lagThresholdSeconds (3 s)");
            });
            toClickHouse.restore();

            Pipes.awaitState(api, id, "Running");
            Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));
            Eventually.within(TIMEOUT, () -> assertThat(lag(id)).isLessThan(2));
            assertThat(Pipes.history(api, id)).containsSubsequence("Running", "Degraded", "Running")
                .doesNotContain("Failed");
            assertThat(api.get("/v1/pipes/" + id + "/errors").body()).anySatisfy(error -> {
                assertThat(error.path("code").asText()).isEqualTo("lagging");
                assertThat(error.path("state").asText()).isEqualTo("Degraded");
                assertThat(error.path("resolvedAt").isTextual()).isTrue();
            });
            api.delete("/v1/pipes/" + id);
        }
    }
}
