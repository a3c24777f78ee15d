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
import dev.ferry.common.Replicas;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/** A destination table dropped under a running pipe makes it Failed, and a resync brings it back. */
@ExtendWith(ClickHouseExtension.class)
class DroppedTableIT extends WithController {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    @Test
    void aDroppedDestinationTableFailsThePipeAndAResyncRecreatesIt(ClickHouseServer clickHouse) {
        String db = "dropped_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        orders.insertOne(new Document("_id", 1));
        String id = runningPipe(clickHouse, db, "orders", "{\"syncIntervalSeconds\": 1}");

        clickHouse.http().execute("DROP TABLE " + db + ".orders");
        orders.insertOne(new Document("_id", 2));

        Eventually.within(TIMEOUT, () -> {
            JsonNode pipe = api.get("/v1/pipes/" + id).body();
            assertThat(pipe.get("state").asText()).isEqualTo("Failed");
            assertThat(pipe.get("stateReason").asText()).contains("destination table").contains("resync");
        });
        assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resync\"}").status()).isEqualTo(202);
        Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));
        Pipes.awaitState(api, id, "Running");
        api.delete("/v1/pipes/" + id);
    }
}
