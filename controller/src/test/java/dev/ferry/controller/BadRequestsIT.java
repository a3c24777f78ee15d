package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/**
 * A refused request gets a 4xx with {@code {"error": {"code", "message"}}} that says what is wrong, and leaves no
 * pipe and no ClickHouse database or table behind.
 */
@ExtendWith(ClickHouseExtension.class)
class BadRequestsIT extends WithController {

    private final ClickHouseServer clickHouse;
    private String mongoDatabase;
    private String clickHouseDatabase;

    BadRequestsIT(ClickHouseServer clickHouse) {
        this.clickHouse = clickHouse;
    }

    @BeforeEach
    void aCollection() {
        mongoDatabase = "bad_" + UUID.randomUUID().toString().substring(0, 8);
        clickHouseDatabase = "badd_" + UUID.randomUUID().toString().substring(0, 8);
        mongo.getDatabase(mongoDatabase).getCollection("orders").insertOne(new Document("_id", 1));
    }

    private String request(String name, String mongoUri, String clickHouseUrl, String database, String collection,
                           String targetTable) {
        return """
            {"name": "%s", "source": {"mongodb": {"uri": "%s"}},
             "destination": {"clickhouse": {"url": "%s", "database": "%s"}},
             "tableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "%s", "targetTable": "%s"}]}
            """.formatted(name, mongoUri, clickHouseUrl, database, mongoDatabase, collection, targetTable);
    }

    private RestApi.Reply create(String body) {
        return api.post("/v1/pipes", body);
    }

    private void assertRefused(RestApi.Reply reply, int status, String code, String messagePart) {
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(status);
        assertThat(reply.body().at("/error/code").asText()).isEqualTo(code);
        assertThat(reply.body().at("/error/message").asText()).contains(messagePart);
        assertThat(reply.body().toString()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(api.get("/v1/pipes").body()).isEmpty();
        assertThat(clickHouse.http().value("SELECT count() FROM system.databases WHERE name = '"
            + clickHouseDatabase + "'")).isEqualTo("0");
    }

    @Test
    void aBodyThatIsNotJsonIsABadRequest() {
        assertRefused(create("{not json"), 400, "bad_request", "not valid JSON");
    }

    @Test
    void missingFieldsAreAllNamed() {
        RestApi.Reply reply = create("{\"name\": \"p\"}");

        assertRefused(reply, 400, "invalid_request", "source.mongodb: required");
        assertThat(reply.body().at("/error/message").asText())
            .contains("destination.clickhouse: required").contains("tableMappings: required");
    }

    @Test
    void anInvalidTableNameIsRefused() {
        assertRefused(create(request("p", emulator.connectionString(), clickHouse.url(), clickHouseDatabase, "orders",
            "bad-name; DROP")), 400, "invalid_request", "not a valid ClickHouse table name");
    }

    @Test
    void anInvalidPipeNameIsRefused() {
        assertRefused(create(request("no spaces please", emulator.connectionString(), clickHouse.url(),
            clickHouseDatabase, "orders", "orders")), 400, "invalid_request", "name:");
    }

    @Test
    void anUnknownCollectionIsUnprocessable() {
        assertRefused(create(request("p", emulator.connectionString(), clickHouse.url(), clickHouseDatabase, "nope",
            "nope")), 422, "collection_not_found", mongoDatabase + ".nope does not exist");
    }

    @Test
    void anUnreachableMongoDbIsUnprocessable() throws Exception {
        String nobody = "mongodb://127.0.0.1:" + TestControllers.freePort() + "/?replicaSet=rs0";
        assertRefused(create(request("p", nobody, clickHouse.url(), clickHouseDatabase, "orders", "orders")), 422,
            "mongodb_unreachable", "cannot reach MongoDB");
    }

    @Test
    void anUnreachableClickHouseIsUnprocessable() throws Exception {
        assertRefused(create(request("p", emulator.connectionString(), "http://127.0.0.1:" + TestControllers.freePort(),
            clickHouseDatabase, "orders", "orders")), 422, "clickhouse_unreachable", "cannot reach ClickHouse");
    }

    @Test
    void anUnknownPipeIsNotFound() {
        RestApi.Reply reply = api.get("/v1/pipes/does-not-exist");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body().at("/error/code").asText()).isEqualTo("not_found");
    }
}
