package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.mongodb.client.MongoCollection;

import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/**
 * A mapping's {@code engineSettings} become its table's {@code SETTINGS}, and settings the server does not know are
 * refused before anything is created.
 */
@ExtendWith(ClickHouseExtension.class)
class TableOptionsIT extends WithController {

    private static String request(String db, String mongoUri, String clickHouseUrl, String engineSettings) {
        return """
            {"name": "%s", "source": {"mongodb": {"uri": "%s"}},
             "destination": {"clickhouse": {"url": "%s", "database": "%s"}},
             "tableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "orders",
                                "engineSettings": %s}],
             "settings": {"syncIntervalSeconds": 1}}
            """.formatted(db, mongoUri, clickHouseUrl, db, db, engineSettings);
    }

    @Test
    void engineSettingsAreTheTablesSettings(ClickHouseServer clickHouse) {
        String db = "opts_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        orders.insertOne(new Document("_id", 1).append("v", 1));

        String id = Pipes.create(api, request(db, emulator.connectionString(), clickHouse.url(),
            "{\"index_granularity\": 4096, \"max_bytes_to_merge_at_min_space_in_pool\": 2097152}"));
        Pipes.awaitState(api, id, "Running");

        String created = clickHouse.http().value("SHOW CREATE TABLE `" + db + "`.orders");
        assertThat(created).contains("index_granularity = 4096").contains("max_bytes_to_merge_at_min_space_in_pool = 2097152");
        assertThat(api.get("/v1/pipes/" + id).body().at("/tableMappings/0/engineSettings/index_granularity").asText())
            .isEqualTo("4096");
        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void anUnknownOrMalformedSettingIsRefusedAndNothingIsCreated(ClickHouseServer clickHouse) {
        String db = "opts_bad_" + UUID.randomUUID().toString().substring(0, 8);
        mongo.getDatabase(db).getCollection("orders").insertOne(new Document("_id", 1));

        RestApi.Reply unknown = api.post("/v1/pipes", request(db, emulator.connectionString(), clickHouse.url(),
            "{\"index_granularity\": 4096, \"no_such_setting\": 1}"));
        RestApi.Reply malformed = api.post("/v1/pipes", request(db, emulator.connectionString(), clickHouse.url(),
            "{\"index_granularity\": {\"nested\": 1}, \"Bad-Name\": 2}"));

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().path("error").path("message").asText()).contains("no_such_setting")
            .doesNotContain("index_granularity is not");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().path("error").path("message").asText()).contains("index_granularity")
            .contains("Bad-Name");
        assertThat(clickHouse.http().value("SELECT count() FROM system.databases WHERE name = '" + db + "'"))
            .isEqualTo("0");
    }
}
