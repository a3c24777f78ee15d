package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import dev.ferry.common.Eventually;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/**
 * Typed columns with a sorting key and partitions over them, end to end on ClickHouse 18.16: through the snapshot,
 * changes (inserts, updates that move documents to other keys and partitions or change a value's type, deletes),
 * and a pause and resume (savepoint), every live row equals its document mapped the same way, and no document
 * leaves a second live row behind. Bad mappings are refused before anything is created; columns added to a running
 * pipe are filled by a resync of their table.
 */
@ExtendWith(ClickHouseExtension.class)
class TypedColumnsIT extends WithController {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);
    private static final Instant JANUARY = Instant.parse("2024-01-15T10:00:00Z");
    private static final Instant MARCH = Instant.parse("2024-03-15T10:00:00Z");
    private static final String COLUMNS = """
        [{"name": "customer_id", "path": "customer.id", "type": "String"},
         {"name": "region", "path": "region", "type": "String"},
         {"name": "total", "path": "total", "type": "Nullable(Decimal(18,2))"},
         {"name": "created", "path": "createdAt", "type": "DateTime64(3)"},
         {"name": "tags", "path": "tags", "type": "Array(String)"}]""";

    private static Document order(int id, String region, Instant created) {
        return new Document("_id", id).append("customer", new Document("id", "c" + id % 7)).append("region", region)
            .append("total", id * 1.25).append("createdAt", Date.from(created)).append("tags", List.of("t" + id % 3))
            .append("payment", new Document("card", "4111-" + id));
    }

    private static String request(String db, String mongoUri, String clickHouseUrl, String mapping) {
        return """
            {"name": "%s", "source": {"mongodb": {"uri": "%s"}},
             "destination": {"clickhouse": {"url": "%s", "database": "%s"}},
             "tableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "orders", %s}],
             "settings": {"syncIntervalSeconds": 1}}
            """.formatted(db, mongoUri, clickHouseUrl, db, db, mapping);
    }

    /** A document as its row's typed columns should hold it, mapped here independently of the job. */
    private static String expectedRow(Document doc) {
        Object total = doc.get("total");
        String totalText = total instanceof Number number
            ? BigDecimal.valueOf(number.doubleValue()).setScale(2, RoundingMode.HALF_EVEN).toPlainString() : "\\N";
        Date created = doc.getDate("createdAt");
        List<String> tags = doc.getList("tags", String.class);
        return String.join(" | ", doc.get("_id").toString(),
            doc.get("customer", Document.class).getString("id"), doc.getString("region"), totalText,
            Long.toString(created.getTime() / 1000),
            tags.stream().map(tag -> "'" + tag + "'").toList().toString().replace(", ", ","));
    }

    private static List<String> expectedRows(MongoCollection<Document> orders) {
        List<String> rows = new ArrayList<>();
        orders.find().sort(new Document("_id", 1)).forEach(doc -> rows.add(expectedRow(doc)));
        return rows;
    }

    private static List<String> liveRows(ClickHouseServer clickHouse, String table) {
        // ordered as MongoDB orders int ids, not as strings
        return clickHouse.http().rows("SELECT _id, customer_id, region, total, toUnixTimestamp(created), tags FROM "
            + table + " FINAL WHERE _peerdb_is_deleted = 0 ORDER BY toInt64(_id)").stream()
            .map(row -> String.join(" | ", row)).toList();
    }

    private static void awaitRowsEqual(ClickHouseServer clickHouse, String table, MongoCollection<Document> orders) {
        Eventually.within(TIMEOUT, () -> assertThat(liveRows(clickHouse, table)).isEqualTo(expectedRows(orders)));
    }

    @Test
    void everyDocumentHasOneLiveRowWithItsTypedValuesWhenItsKeyMovesThroughChangesAndAPause(
        ClickHouseServer clickHouse) {
        String db = "typed_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        List<Document> initial = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            initial.add(order(i, i % 2 == 0 ? "eu" : "us", i % 3 == 0 ? MARCH : JANUARY));
        }
        initial.get(5).put("total", "n/a");
        initial.get(6).remove("total");
        orders.insertMany(initial);
        String id = Pipes.create(api, request(db, emulator.connectionString(), clickHouse.url(), """
            "columns": %s, "orderBy": ["region", "customer_id", "_id"], "partitionBy": "toYYYYMM(created)",
            "excludeFields": ["payment.card"]""".formatted(COLUMNS)));
        Pipes.awaitState(api, id, "Running");
        String table = "`" + db + "`.orders";

        String created = clickHouse.http().value("SHOW CREATE TABLE " + table);
        assertThat(created).contains("total Nullable(Decimal(18, 2))").contains("created DateTime")
            .contains("tags Array(String)").contains("PARTITION BY toYYYYMM(created)")
            .contains("ORDER BY (region, customer_id, _id)");
        awaitRowsEqual(clickHouse, table, orders);

        orders.insertOne(order(1_000, "apac", MARCH));
        orders.updateOne(Filters.eq("_id", 10), Updates.set("region", "apac"));
        orders.updateOne(Filters.eq("_id", 11), Updates.set("createdAt", Date.from(MARCH)));
        orders.updateOne(Filters.eq("_id", 12), Updates.combine(Updates.set("region", "us"),
            Updates.set("customer.id", "moved"), Updates.set("total", "unknown")));
        orders.updateOne(Filters.eq("_id", 10), Updates.set("region", "eu"));
        orders.updateOne(Filters.eq("_id", 13), Updates.set("region", "apac"));
        orders.deleteOne(Filters.eq("_id", 13));
        orders.deleteOne(Filters.eq("_id", 20));
        awaitRowsEqual(clickHouse, table, orders);
        // the values that did not fit: the snapshot's two and the update's one
        Eventually.within(TIMEOUT, () -> {
            JsonNode columns = api.get("/v1/pipes/" + id + "/tables").body().at("/0/columns");
            assertThat(columns.path("mismatches").asLong()).as(columns.toString()).isEqualTo(3);
            assertThat(columns.path("exampleId").asText()).isIn("5", "6", "12");
            assertThat(api.text("/metrics")).contains("ferry_table_column_mismatches_total{pipe=\"" + db
                + "\",table=\"orders\"} 3.0");
        });

        assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"pause\"}").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Paused");
        orders.updateOne(Filters.eq("_id", 10), Updates.set("region", "us"));
        orders.updateOne(Filters.eq("_id", 14), Updates.combine(Updates.set("region", "apac"),
            Updates.set("createdAt", Date.from(MARCH))));
        orders.updateOne(Filters.eq("_id", 11), Updates.set("region", "apac"));
        orders.deleteOne(Filters.eq("_id", 11));
        assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resume\"}").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Running");
        awaitRowsEqual(clickHouse, table, orders);

        assertThat(clickHouse.http().value("SELECT count() FROM (SELECT _id FROM " + table + " FINAL WHERE "
            + "_peerdb_is_deleted = 0 GROUP BY _id HAVING count() > 1)")).as("documents with two live rows")
            .isEqualTo("0");

        // a resync of the table loads it again beside the changes, through the same keyed state
        assertThat(api.post("/v1/pipes/" + id + "/tables/orders/resync", "").status()).isEqualTo(202);
        orders.updateOne(Filters.eq("_id", 15), Updates.set("region", "apac"));
        Eventually.within(TIMEOUT, () -> assertThat(Pipes.history(api, id)).endsWith("Snapshot", "Modifying",
            "Running"));
        awaitRowsEqual(clickHouse, table, orders);
        assertThat(clickHouse.http().value("SELECT count() FROM system.tables WHERE database = '" + db
            + "' AND name != 'orders'")).as("no leftover tables").isEqualTo("0");
        assertThat(clickHouse.http().value("SELECT count() FROM " + table + " WHERE doc LIKE '%4111-%'"))
            .as("excluded fields in any row").isEqualTo("0");
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void badTypedColumnsSortingKeysAndPartitionExpressionsAreRefusedAndNothingIsCreated(
        ClickHouseServer clickHouse) {
        String db = "typed_bad_" + UUID.randomUUID().toString().substring(0, 8);
        mongo.getDatabase(db).getCollection("orders").insertOne(order(1, "eu", JANUARY));
        String mongoUri = emulator.connectionString();

        RestApi.Reply noId = api.post("/v1/pipes", request(db, mongoUri, clickHouse.url(),
            "\"columns\": " + COLUMNS + ", \"orderBy\": [\"region\"]"));
        RestApi.Reply nullableKey = api.post("/v1/pipes", request(db, mongoUri, clickHouse.url(),
            "\"columns\": " + COLUMNS + ", \"orderBy\": [\"total\", \"_id\"]"));
        RestApi.Reply unknownInPartition = api.post("/v1/pipes", request(db, mongoUri, clickHouse.url(),
            "\"columns\": " + COLUMNS + ", \"partitionBy\": \"toYYYYMM(updated)\""));
        RestApi.Reply badColumns = api.post("/v1/pipes", request(db, mongoUri, clickHouse.url(), """
            "excludeFields": ["payment"],
            "columns": [{"name": "doc", "path": "a", "type": "String"},
                        {"name": "card", "path": "payment.card", "type": "String"},
                        {"name": "m", "path": "m", "type": "Map(String, String)"}]"""));
        RestApi.Reply injection = api.post("/v1/pipes", request(db, mongoUri, clickHouse.url(),
            "\"columns\": " + COLUMNS + ", \"partitionBy\": \"toYYYYMM(created); DROP TABLE x\""));
        RestApi.Reply wrongType = api.post("/v1/pipes", request(db, mongoUri, clickHouse.url(),
            "\"columns\": " + COLUMNS + ", \"partitionBy\": \"toYYYYMM(region)\""));

        assertThat(noId.status()).isEqualTo(400);
        assertThat(message(noId)).contains("must end with \"_id\"");
        assertThat(nullableKey.status()).isEqualTo(400);
        assertThat(message(nullableKey)).contains("'total' is Nullable(Decimal(18,2))");
        assertThat(unknownInPartition.status()).isEqualTo(400);
        assertThat(message(unknownInPartition)).contains("names updated, not a typed column");
        assertThat(badColumns.status()).isEqualTo(400);
        assertThat(message(badColumns)).contains("'doc' is one of ferry's own columns")
            .contains("left out by excludeFields").contains("unknown type Map(String,String)");
        assertThat(injection.status()).isEqualTo(400);
        assertThat(message(injection)).contains("';' cannot be part of a partition expression");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(message(wrongType)).contains("the partitionBy of table orders").contains("toYYYYMM");
        assertThat(api.get("/v1/pipes").body().findValuesAsText("name")).doesNotContain(db);
        assertThat(clickHouse.http().value("SELECT count() FROM system.databases WHERE name = '" + db + "'"))
            .isEqualTo("0");
    }

    @Test
    void withDeletesExcludedADeletedDocumentKeepsItsRowAndTypedValuesThroughAResync(ClickHouseServer clickHouse) {
        String db = "typed_keep_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        List<Document> initial = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            initial.add(order(i, "eu", JANUARY));
        }
        orders.insertMany(initial);
        String id = Pipes.create(api, """
            {"name": "%s", "source": {"mongodb": {"uri": "%s"}},
             "destination": {"clickhouse": {"url": "%s", "database": "%s"}},
             "tableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "orders", "columns": %s,
                                "excludeFields": ["payment.card"]}],
             "settings": {"syncIntervalSeconds": 1, "excludedOperations": ["delete"]}}
            """.formatted(db, emulator.connectionString(), clickHouse.url(), db, db, COLUMNS));
        Pipes.awaitState(api, id, "Running");
        String table = "`" + db + "`.orders";
        String kept = "SELECT region, total FROM " + table + " FINAL WHERE _peerdb_is_deleted = 0 AND _id = '3'";

        orders.deleteOne(Filters.eq("_id", 3));
        orders.updateOne(Filters.eq("_id", 4), Updates.set("region", "apac"));
        Eventually.within(TIMEOUT, () -> assertThat(clickHouse.http().value("SELECT region FROM " + table
            + " FINAL WHERE _id = '4'")).isEqualTo("apac"));
        assertThat(clickHouse.http().rows(kept)).containsExactly(List.of("eu", "3.75"));

        assertThat(api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resync\"}").status()).isEqualTo(202);
        Pipes.awaitState(api, id, "Running");
        Eventually.within(TIMEOUT, () -> assertThat(clickHouse.http().value("SELECT count() FROM " + table
            + " FINAL WHERE _peerdb_is_deleted = 0")).isEqualTo("50"));
        assertThat(clickHouse.http().rows(kept)).as("the kept delete, carried over with its typed values")
            .containsExactly(List.of("eu", "3.75"));
        List<String> live = new ArrayList<>(liveRows(clickHouse, table));
        live.remove(3);
        assertThat(live).isEqualTo(expectedRows(orders));
        api.delete("/v1/pipes/" + id);
    }

    private static String message(RestApi.Reply reply) {
        return reply.body().path("error").path("message").asText();
    }

    @Test
    void aColumnAddedToARunningPipeIsAddedToItsTableAndFilledByAResyncOfThatTable(ClickHouseServer clickHouse) {
        String db = "typed_add_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        List<Document> initial = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            initial.add(order(i, "eu", JANUARY));
        }
        orders.insertMany(initial);
        String id = Pipes.create(api, request(db, emulator.connectionString(), clickHouse.url(),
            "\"columns\": [{\"name\": \"region\", \"path\": \"region\", \"type\": \"String\"}]"));
        Pipes.awaitState(api, id, "Running");
        String table = "`" + db + "`.orders";
        Pipes.awaitEqual(clickHouse, db, "orders", orders);

        RestApi.Reply added = api.patch("/v1/pipes/" + id, """
            {"updateTableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "orders",
              "columns": [{"name": "total", "path": "total", "type": "Float64"}]}]}""".formatted(db));

        assertThat(added.status()).as(added.body().toString()).isEqualTo(202);
        assertThat(added.body().path("stateReason").asText()).contains("new typed columns in orders")
            .contains("resync");
        assertThat(added.body().at("/tableMappings/0/columns/1/name").asText()).isEqualTo("total");
        orders.updateOne(Filters.eq("_id", 3), Updates.set("total", 99.5));
        Eventually.within(TIMEOUT, () -> {
            assertThat(clickHouse.http().value("SELECT count() FROM " + table + " FINAL WHERE _peerdb_is_deleted = 0 "
                + "AND total = toFloat64(toInt64(_id)) * 1.25")).isEqualTo("199");
            assertThat(clickHouse.http().value("SELECT total FROM " + table + " FINAL WHERE _id = '3'"))
                .isEqualTo("99.5");
        });
        Pipes.awaitState(api, id, "Running");
        assertThat(clickHouse.http().value("SHOW CREATE TABLE " + table)).contains("total Float64");
        Pipes.awaitEqual(clickHouse, db, "orders", orders);

        RestApi.Reply again = api.patch("/v1/pipes/" + id, """
            {"updateTableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "orders",
              "columns": [{"name": "total", "path": "x", "type": "Int64"}], "orderBy": ["total", "_id"]}]}"""
            .formatted(db));
        assertThat(again.status()).isEqualTo(400);
        assertThat(message(again)).contains("only columns can be added");
        api.delete("/v1/pipes/" + id);
    }
}
