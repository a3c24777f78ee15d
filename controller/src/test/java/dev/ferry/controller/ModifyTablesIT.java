package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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

/**
 * Tables added to a running pipe are created and loaded while the others continue from the savepoint; removed
 * tables stop receiving changes and keep their data.
 */
@ExtendWith(ClickHouseExtension.class)
class ModifyTablesIT extends WithController {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    @Test
    void addingAndRemovingTablesOfARunningPipe(ClickHouseServer clickHouse) throws Exception {
        String db = "modify_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MongoCollection<Document> customers = mongo.getDatabase(db).getCollection("customers");
        MixedWorkload.insertInitial(orders, 1_000);
        MixedWorkload.insertInitial(customers, 700);
        String id = Pipes.create(api, Pipes.request(db, emulator.connectionString(), clickHouse.url(), db, db, "orders",
            "{\"syncIntervalSeconds\": 1}"));
        Eventually.within(TIMEOUT, () -> assertThat(Pipes.history(api, id)).endsWith("Running"));
        clickHouse.http().execute("SYSTEM STOP MERGES " + db + ".orders");

        RestApi.Reply added = api.patch("/v1/pipes/" + id, """
            {"addTableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "customers"}]}""".formatted(db));
        assertThat(added.status()).as(added.body().toString()).isEqualTo(202);
        new MixedWorkload(orders, 51, 1_000).run(100);

        Eventually.within(TIMEOUT, () -> assertThat(Pipes.history(api, id))
            .containsSubsequence("Running", "Modifying", "Setup", "Snapshot", "Running").endsWith("Running")
            .doesNotContainSequence("Modifying", "Running", "Snapshot"));
        Eventually.within(TIMEOUT, () -> {
            Replicas.assertTableEquals(clickHouse, db, "customers", customers);
            Replicas.assertTableEquals(clickHouse, db, "orders", orders);
        });
        assertThat(clickHouse.http().value("SELECT count() - uniqExact(_id) FROM " + db + ".orders WHERE "
            + "_peerdb_version = (SELECT min(_peerdb_version) FROM " + db + ".orders)"))
            .as("orders is not loaded again").isEqualTo("0");

        RestApi.Reply removed = api.patch("/v1/pipes/" + id, """
            {"removeTableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "orders"}]}""".formatted(db));
        assertThat(removed.status()).as(removed.body().toString()).isEqualTo(202);
        Eventually.within(TIMEOUT, () -> assertThat(Pipes.history(api, id))
            .containsSubsequence("Running", "Modifying", "Running", "Modifying", "Running").endsWith("Running"));
        String ordersBefore = clickHouse.http().value("SELECT count() FROM " + db + ".orders");
        orders.insertOne(new Document("_id", "after-removal"));
        customers.insertOne(new Document("_id", "still-replicated"));

        Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "customers", customers));
        assertThat(clickHouse.http().value("SELECT count() FROM " + db + ".orders")).isEqualTo(ordersBefore);
        assertThat(api.patch("/v1/pipes/" + id, """
            {"removeTableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "customers"}]}""".formatted(db))
            .status()).as("the last mapping cannot go").isEqualTo(400);
        api.delete("/v1/pipes/" + id);
    }
}
