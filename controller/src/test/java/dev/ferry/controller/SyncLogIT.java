package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.CountedWorkload;
import dev.ferry.common.Eventually;
import dev.ferry.common.MixedWorkload;
import dev.ferry.common.Replicas;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/**
 * What a pipe shows of its tables comes from the sync log its job writes: a loaded table shows every row it loaded,
 * changes are counted exactly within seconds of reaching ClickHouse, the counts are cumulative across pauses and
 * restarts of the job, a resync starts them over, and the syncs and the rows per interval add up to them.
 */
@ExtendWith(ClickHouseExtension.class)
class SyncLogIT extends WithController {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);
    private static final Duration COUNTED_WITHIN = Duration.ofSeconds(3);

    private static JsonNode table(String id) {
        return api.get("/v1/pipes/" + id + "/tables").body().get(0);
    }

    /** Waits until ClickHouse holds the collection, then gives the API {@link #COUNTED_WITHIN} to count it all. */
    private static void awaitCounted(ClickHouseServer clickHouse, String db, String id,
                                     MongoCollection<Document> orders, Pipes.Counts expected) {
        Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));
        Eventually.within(COUNTED_WITHIN, () -> assertThat(Pipes.counts(api, id)).isEqualTo(expected));
    }

    private static String create(ClickHouseServer clickHouse, String db, String settings) {
        return Pipes.create(api, Pipes.request(db, emulator.connectionString(), clickHouse.url(), db, db, "orders",
            settings));
    }

    @Test
    void aLoadedTableShowsEveryRowItLoadedAndChangesAreCountedExactlySoonAfterTheyReachClickHouse(
        ClickHouseServer clickHouse) throws Exception {
        String db = "counted_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 5_000);
        String id = create(clickHouse, db, "{\"syncIntervalSeconds\": 1, \"snapshotNumRowsPerPartition\": 1000}");

        // every reading while it loads: a table that shows done shows all it loaded
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        boolean done = false;
        while (!done && System.nanoTime() < deadline) {
            JsonNode snapshot = table(id).path("snapshot");
            done = snapshot.path("status").asText().equals("done");
            if (done) {
                assertThat(snapshot.path("rowsLoaded").asLong()).as(snapshot.toString()).isEqualTo(5_000);
            }
            Thread.sleep(50);
        }
        assertThat(done).as("the table was loaded").isTrue();
        Pipes.awaitState(api, id, "Running");

        CountedWorkload.Counts changes = new CountedWorkload(orders, 11, 5_000).run(300, 300, 100, 200);
        Pipes.Counts expected = Pipes.Counts.of(5_000, changes);
        awaitCounted(clickHouse, db, id, orders, expected);

        JsonNode syncs = api.get("/v1/pipes/" + id + "/syncs?limit=1000").body();
        assertThat(summed(syncs)).as("the syncs add up to the counts").isEqualTo(expected);
        JsonNode first = syncs.get(syncs.size() - 1);
        assertThat(first.path("syncId").asText()).isNotBlank();
        assertThat(first.path("tables").get(0).path("targetTable").asText()).isEqualTo("orders");
        assertThat(Instant.parse(first.path("committedAt").asText())).isBefore(Instant.now());

        JsonNode throughput = api.get("/v1/pipes/" + id + "/throughput?since="
            + Instant.now().minus(Duration.ofMinutes(10)) + "&step=5").body();
        assertThat(throughput.path("step").asLong()).isEqualTo(5);
        assertThat(summed(throughput.path("points"))).as("the intervals add up to the counts").isEqualTo(expected);
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void countsAreKeptAcrossAPauseAResumeAndANewSettingThatRestartsTheJob(ClickHouseServer clickHouse) {
        String db = "kept_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 1_000);
        String id = create(clickHouse, db, "{\"syncIntervalSeconds\": 1}");
        Pipes.awaitState(api, id, "Running");
        CountedWorkload workload = new CountedWorkload(orders, 12, 1_000);
        CountedWorkload.Counts changes = workload.run(50, 50, 20, 20);
        awaitCounted(clickHouse, db, id, orders, Pipes.Counts.of(1_000, changes));

        assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"pause\"}").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Paused");
        changes = changes.plus(workload.run(40, 40, 10, 10));
        assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resume\"}").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Running");
        awaitCounted(clickHouse, db, id, orders, Pipes.Counts.of(1_000, changes));

        assertThat(api.put("/v1/pipes/" + id + "/settings", "{\"syncIntervalSeconds\": 2}").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Running");
        changes = changes.plus(workload.run(30, 30, 10, 10));
        awaitCounted(clickHouse, db, id, orders, Pipes.Counts.of(1_000, changes));
        assertThat(Pipes.history(api, id)).contains("Paused", "Modifying");
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void aResyncOfTheTableStartsItsCountsOverAndTheHistorySaysSo(ClickHouseServer clickHouse) {
        String db = "recounted_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 800);
        String id = create(clickHouse, db, "{\"syncIntervalSeconds\": 1}");
        Pipes.awaitState(api, id, "Running");
        CountedWorkload workload = new CountedWorkload(orders, 13, 800);
        CountedWorkload.Counts changes = workload.run(20, 20, 10, 10);
        awaitCounted(clickHouse, db, id, orders, Pipes.Counts.of(800, changes));

        assertThat(api.post("/v1/pipes/" + id + "/tables/orders/resync", "").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Running");
        long documents = orders.countDocuments();
        awaitCounted(clickHouse, db, id, orders, new Pipes.Counts(documents, 0, 0, 0, 0));
        CountedWorkload.Counts after = workload.run(5, 5, 5, 5);
        awaitCounted(clickHouse, db, id, orders, Pipes.Counts.of(documents, after));
        assertThat(api.get("/v1/pipes/" + id + "/history").body().toString()).contains("counts start over");
        api.delete("/v1/pipes/" + id);
    }

    /** The counts of syncs (their tables) or of throughput points, added up. */
    private static Pipes.Counts summed(JsonNode entries) {
        long snapshot = 0;
        long inserts = 0;
        long updates = 0;
        long replaces = 0;
        long deletes = 0;
        for (JsonNode entry : entries) {
            for (JsonNode part : entry.has("tables") ? entry.path("tables") : java.util.List.of(entry)) {
                snapshot += part.path("snapshot").asLong();
                inserts += part.path("inserts").asLong();
                updates += part.path("updates").asLong();
                replaces += part.path("replaces").asLong();
                deletes += part.path("deletes").asLong();
            }
        }
        return new Pipes.Counts(snapshot, inserts, updates, replaces, deletes);
    }
}
