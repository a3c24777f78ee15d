package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.MixedWorkload;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/**
 * {@code GET /v1/pipes/{id}/verify} and {@code bin/ferry verify} compare each collection with its table document
 * by document and name what is missing, extra and different, with both versions.
 */
@ExtendWith(ClickHouseExtension.class)
class VerifyIT extends WithController {

    @Test
    void aPipeThatCaughtUpVerifiesEqualAndTheCliExitsZero(ClickHouseServer clickHouse) throws Exception {
        String db = "verify_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 1_500);
        String id = runningPipe(clickHouse, db, "orders", "{\"syncIntervalSeconds\": 1}");
        new MixedWorkload(orders, 81, 1_500).run(200);
        Pipes.awaitEqual(clickHouse, db, "orders", orders);

        RestApi.Reply verified = api.get("/v1/pipes/" + id + "/verify");
        FerryCli.Run cli = FerryCli.run(controller.url(), "verify", db);

        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.body().get("equal").asBoolean()).as(verified.body().toString()).isTrue();
        JsonNode table = verified.body().at("/tables/0");
        assertThat(table.get("mongodbDocuments").asLong()).isEqualTo(orders.countDocuments());
        assertThat(table.get("clickhouseRows").asLong()).isEqualTo(orders.countDocuments());
        assertThat(cli.exitCode()).as(cli.output()).isZero();
        assertThat(cli.output()).contains("orders (" + db + ".orders): EQUAL");
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void missingExtraAndDifferentIdsAreNamedWithBothVersionsAndTheCliExitsOne(ClickHouseServer clickHouse)
        throws Exception {
        String db = "verify_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 300);
        String id = runningPipe(clickHouse, db, "orders", "{\"syncIntervalSeconds\": 1}");
        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"pause\"}").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Paused");
        orders.insertOne(new Document("_id", "new-while-paused"));
        orders.deleteOne(new Document("_id", 5));
        clickHouse.http().execute("INSERT INTO " + db + ".orders (_id, doc, _peerdb_version, _peerdb_is_deleted) "
            + "VALUES ('7', '{\"_id\":7,\"tampered\":true}', 9223372036854775807, 0)");

        RestApi.Reply verified = api.get("/v1/pipes/" + id + "/verify?table=orders");
        FerryCli.Run cli = FerryCli.run(controller.url(), "verify", db, "--table", "orders");

        JsonNode table = verified.body().at("/tables/0");
        assertThat(verified.body().get("equal").asBoolean()).isFalse();
        assertThat(table.get("missing").asLong()).isEqualTo(1);
        assertThat(table.get("extra").asLong()).isEqualTo(1);
        assertThat(table.get("different").asLong()).isEqualTo(1);
        assertThat(table.at("/missingIds/0/id").asText()).isEqualTo("new-while-paused");
        assertThat(table.at("/missingIds/0/mongodb").asText()).isEqualTo("{\"_id\":\"new-while-paused\"}");
        assertThat(table.at("/extraIds/0/id").asText()).isEqualTo("5");
        assertThat(table.at("/extraIds/0/clickhouse").asText()).startsWith("{\"_id\":5,");
        assertThat(table.at("/differentIds/0/id").asText()).isEqualTo("7");
        assertThat(table.at("/differentIds/0/mongodb").asText()).startsWith("{\"_id\":7,\"name\":\"doc-7\"");
        assertThat(table.at("/differentIds/0/clickhouse").asText()).isEqualTo("{\"_id\":7,\"tampered\":true}");
        assertThat(cli.exitCode()).as(cli.output()).isEqualTo(1);
        assertThat(cli.output()).contains("DIFFERENT").contains("missing 1, extra 1, different 1")
            .contains("different 7");
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void verifyingATableThePipeDoesNotHaveIsNotFound(ClickHouseServer clickHouse) {
        String db = "verify_" + UUID.randomUUID().toString().substring(0, 8);
        mongo.getDatabase(db).getCollection("orders").insertOne(new Document("_id", 1));
        String id = runningPipe(clickHouse, db, "orders", "{}");

        RestApi.Reply reply = api.get("/v1/pipes/" + id + "/verify?table=invoices");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body().at("/error/message").asText()).contains("no table 'invoices'");
        api.delete("/v1/pipes/" + id);
    }
}
