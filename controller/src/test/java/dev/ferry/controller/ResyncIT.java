package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.mongodb.client.MongoCollection;

import dev.ferry.common.Eventually;
import dev.ferry.common.MixedWorkload;
import dev.ferry.common.Replicas;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/**
 * A resync loads every collection again into {@code _resync} tables while writes go on, swaps them in for the
 * originals (soft-deleted rows carried over), and goes on replicating into the originals.
 */
@ExtendWith(ClickHouseExtension.class)
class ResyncIT extends WithController {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    @Test
    void aResyncWhileWritesContinueEndsWithTheTableEqualToTheCollection(ClickHouseServer clickHouse) throws Exception {
        String db = "resync_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 2_000);
        String id = runningPipe(clickHouse, db, "orders", "{\"syncIntervalSeconds\": 1}");
        orders.deleteOne(new Document("_id", 7));
        Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));

        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            MixedWorkload workload = new MixedWorkload(orders, 31, 2_000);
            while (writing.get()) {
                workload.run(10);
            }
        });
        writer.start();
        RestApi.Reply resync = api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resync\"}");
        assertThat(resync.status()).as(resync.body().toString()).isEqualTo(202);
        Eventually.within(TIMEOUT, () -> {
            List<String> states = new ArrayList<>();
            api.get("/v1/pipes/" + id + "/history").body().forEach(t -> states.add(t.get("to").asText()));
            assertThat(states).containsSubsequence("Running", "Snapshot", "Resync", "Running");
            assertThat(states.get(states.size() - 1)).isEqualTo("Running");
        });
        writing.set(false);
        writer.join();

        Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));
        assertThat(clickHouse.http().value("SELECT count() FROM " + db + ".orders FINAL WHERE _id = '7' "
            + "AND _peerdb_is_deleted = 1")).as("the soft-deleted row is carried over").isEqualTo("1");
        assertThat(clickHouse.http().value("SELECT count() FROM system.tables WHERE database = '" + db
            + "' AND name != 'orders'")).as("no leftover tables").isEqualTo("0");
        api.delete("/v1/pipes/" + id);
    }
}
