package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.mongodb.MongoNamespace;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.Eventually;
import dev.ferry.common.MixedWorkload;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/**
 * A pipe never stops silently when a mapped collection is dropped or renamed: it is Degraded (or, by its setting,
 * Failed) with a reason naming the collection and what to do, while its other tables go on.
 */
@ExtendWith(ClickHouseExtension.class)
class SourceCollectionGoneIT extends WithController {

    private String twoTables(String db, String clickHouseUrl, String settings) {
        return Pipes.request(db, emulator.connectionString(), clickHouseUrl, db, db, List.of("orders", "customers"),
            settings);
    }

    @Test
    void aDroppedCollectionMakesThePipeDegradedUntilItsMappingIsRemoved(ClickHouseServer clickHouse) {
        String db = "gone_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MongoCollection<Document> customers = mongo.getDatabase(db).getCollection("customers");
        MixedWorkload.insertInitial(orders, 200);
        MixedWorkload.insertInitial(customers, 100);
        String id = Pipes.create(api, twoTables(db, clickHouse.url(), "{\"syncIntervalSeconds\": 1}"));
        Pipes.awaitState(api, id, "Running");

        customers.drop();
        Eventually.within(Pipes.TIMEOUT, () -> {
            RestApi.Reply pipe = api.get("/v1/pipes/" + id);
            assertThat(pipe.body().get("state").asText()).isEqualTo("Degraded");
            assertThat(pipe.body().get("stateReason").asText())
                .contains("collection " + db + ".customers (table customers) was dropped").contains("removeTableMappings");
        });
        new MixedWorkload(orders, 91, 200).run(50);
        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        assertThat(clickHouse.http().value("SELECT count() FROM " + db + ".customers FINAL WHERE _peerdb_is_deleted = 0"))
            .as("the table keeps what it had").isEqualTo("100");

        RestApi.Reply removed = api.patch("/v1/pipes/" + id, """
            {"removeTableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "customers"}]}""".formatted(db));
        assertThat(removed.status()).as(removed.body().toString()).isEqualTo(202);
        Pipes.awaitState(api, id, "Running");
        assertThat(Pipes.history(api, id)).containsSubsequence("Running", "Degraded", "Modifying", "Running");
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void aRenamedCollectionMakesThePipeFailedWhenItsSettingSaysSo(ClickHouseServer clickHouse) {
        String db = "gone_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 100);
        MixedWorkload.insertInitial(mongo.getDatabase(db).getCollection("customers"), 100);
        String id = Pipes.create(api, twoTables(db, clickHouse.url(),
            "{\"syncIntervalSeconds\": 1, \"onSourceCollectionGone\": \"failed\"}"));
        Pipes.awaitState(api, id, "Running");

        orders.renameCollection(new MongoNamespace(db, "orders_archived"));

        Eventually.within(Pipes.TIMEOUT, () -> {
            RestApi.Reply pipe = api.get("/v1/pipes/" + id);
            assertThat(pipe.body().get("state").asText()).isEqualTo("Failed");
            assertThat(pipe.body().get("stateReason").asText())
                .contains("collection " + db + ".orders (table orders) was renamed").contains("resync the pipe");
        });
        api.delete("/v1/pipes/" + id);
    }
}
