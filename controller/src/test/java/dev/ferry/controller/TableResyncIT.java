package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

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
 * One table of a pipe is loaded again into {@code <table>_resync} and swapped in, while the pipe's other tables go
 * on from their savepoint position without being loaded again.
 */
@ExtendWith(ClickHouseExtension.class)
class TableResyncIT extends WithController {

    @Test
    void resyncingOneTableReplacesItWithAFreshCopyAndLeavesTheOthersAlone(ClickHouseServer clickHouse)
        throws Exception {
        String db = "table_resync_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MongoCollection<Document> customers = mongo.getDatabase(db).getCollection("customers");
        MixedWorkload.insertInitial(orders, 1_500);
        MixedWorkload.insertInitial(customers, 500);
        String id = Pipes.create(api, twoTables(db, clickHouse.url()));
        Pipes.awaitState(api, id, "Running");
        clickHouse.http().execute("SYSTEM STOP MERGES " + db + ".customers");
        orders.deleteOne(new Document("_id", 7));
        // a row MongoDB never had: the resynced table must not keep it
        clickHouse.http().execute("INSERT INTO " + db + ".orders (_id, doc, _peerdb_version, _peerdb_is_deleted) "
            + "VALUES ('invented', '{}', 1, 0)");

        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            MixedWorkload onOrders = new MixedWorkload(orders, 41, 1_500);
            MixedWorkload onCustomers = new MixedWorkload(customers, 43, 500);
            while (writing.get()) {
                onOrders.run(5);
                onCustomers.run(5);
            }
        });
        writer.start();
        RestApi.Reply resync = api.post("/v1/pipes/" + id + "/tables/orders/resync", "");
        assertThat(resync.status()).as(resync.body().toString()).isEqualTo(202);
        Eventually.within(Pipes.TIMEOUT, () -> assertThat(Pipes.history(api, id))
            .containsSubsequence("Running", "Modifying", "Setup", "Snapshot", "Modifying", "Running")
            .endsWith("Running"));
        writing.set(false);
        writer.join();

        Eventually.within(Pipes.TIMEOUT, () -> {
            Replicas.assertTableEquals(clickHouse, db, "orders", orders);
            Replicas.assertTableEquals(clickHouse, db, "customers", customers);
        });
        assertThat(clickHouse.http().value("SELECT count() FROM " + db + ".orders FINAL WHERE _id = '7' "
            + "AND _peerdb_is_deleted = 1")).as("the soft-deleted row is carried over").isEqualTo("1");
        assertThat(clickHouse.http().value("SELECT count() - uniqExact(_id) FROM " + db + ".customers WHERE "
            + "_peerdb_version = (SELECT min(_peerdb_version) FROM " + db + ".customers)"))
            .as("customers is not loaded again").isEqualTo("0");
        assertThat(clickHouse.http().value("SELECT count() FROM system.tables WHERE database = '" + db
            + "' AND name NOT IN ('orders', 'customers')")).as("no leftover tables").isEqualTo("0");
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void resyncingATableThePipeDoesNotHaveIsNotFound(ClickHouseServer clickHouse) {
        String db = "table_resync_" + UUID.randomUUID().toString().substring(0, 8);
        mongo.getDatabase(db).getCollection("orders").insertOne(new Document("_id", 1));
        mongo.getDatabase(db).getCollection("customers").insertOne(new Document("_id", 1));
        String id = Pipes.create(api, twoTables(db, clickHouse.url()));

        RestApi.Reply reply = api.post("/v1/pipes/" + id + "/tables/invoices/resync", "");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body().at("/error/message").asText()).contains("no table 'invoices'");
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void resyncingATableTwiceAtOnceIsAConflict(ClickHouseServer clickHouse) throws Exception {
        String db = "table_resync_" + UUID.randomUUID().toString().substring(0, 8);
        MixedWorkload.insertInitial(mongo.getDatabase(db).getCollection("orders"), 10);
        MixedWorkload.insertInitial(mongo.getDatabase(db).getCollection("customers"), 10);
        String id = Pipes.create(api, twoTables(db, clickHouse.url()));
        Pipes.awaitState(api, id, "Running");
        assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"pause\"}").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Paused");
        assertThat(api.post("/v1/pipes/" + id + "/tables/orders/resync", "").status()).isEqualTo(202);

        RestApi.Reply again = api.post("/v1/pipes/" + id + "/tables/orders/resync", "");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().at("/error/message").asText()).contains("being resynced already");
        api.delete("/v1/pipes/" + id);
    }

    private String twoTables(String db, String clickHouseUrl) {
        return Pipes.request(db, emulator.connectionString(), clickHouseUrl, db, db, List.of("orders", "customers"),
            "{\"syncIntervalSeconds\": 1}");
    }
}
