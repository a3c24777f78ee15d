package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.common.Eventually;
import dev.ferry.common.Replicas;

/** Pipe requests and waits that the end-to-end tests share. */
final class Pipes {

    static final Duration TIMEOUT = Duration.ofSeconds(150);

    private Pipes() {
    }

    /** A request for a pipe named {@code name} from one collection into the table of the same name. */
    static String request(String name, String mongoUri, String clickHouseUrl, String database, String mongoDatabase,
                          String collection, String settings) {
        return request(name, mongoUri, clickHouseUrl, database, mongoDatabase, List.of(collection), settings);
    }

    /** A request for a pipe named {@code name} from collections of one database, each into a table of its name. */
    static String request(String name, String mongoUri, String clickHouseUrl, String database, String mongoDatabase,
                          List<String> collections, String settings) {
        String mappings = String.join(", ", collections.stream().map(collection -> """
            {"sourceDatabaseName": "%s", "sourceCollection": "%s"}""".formatted(mongoDatabase, collection)).toList());
        return """
            {"name": "%s", "source": {"mongodb": {"uri": "%s"}},
             "destination": {"clickhouse": {"url": "%s", "database": "%s"}},
             "tableMappings": [%s],
             "settings": %s}
            """.formatted(name, mongoUri, clickHouseUrl, database, mappings, settings);
    }

    /** Creates the pipe and returns its id. */
    static String create(RestApi api, String request) {
        RestApi.Reply created = api.post("/v1/pipes", request);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        return created.body().get("id").asText();
    }

    /** Waits as a client does: until the pipe has applied its spec (observedGeneration) and is in {@code state}. */
    static void awaitState(RestApi api, String id, String state) {
        Eventually.within(TIMEOUT, () -> {
            com.fasterxml.jackson.databind.JsonNode pipe = api.get("/v1/pipes/" + id).body();
            assertThat(pipe.get("observedGeneration").asLong()).as(pipe.toString())
                .isEqualTo(pipe.get("generation").asLong());
            assertThat(pipe.get("state").asText()).as(pipe.toString()).isEqualTo(state);
        });
    }

    /** The states the pipe went through, in order. */
    static List<String> history(RestApi api, String id) {
        List<String> states = new ArrayList<>();
        api.get("/v1/pipes/" + id + "/history").body().forEach(t -> states.add(t.get("to").asText()));
        return states;
    }

    /** Waits until the table's live rows equal the collection, document by document. */
    static void awaitEqual(dev.ferry.testkit.clickhouse.ClickHouseServer clickHouse, String database, String table,
                           com.mongodb.client.MongoCollection<org.bson.Document> collection) {
        Eventually.within(TIMEOUT, () -> dev.ferry.common.Replicas.assertTableEquals(clickHouse, database, table,
            collection));
    }

    /** A table's counts as the API shows them: its snapshot rows and each kind of change (-1: not shown). */
    record Counts(long snapshot, long inserts, long updates, long replaces, long deletes) {

        static Counts of(long snapshot, dev.ferry.common.CountedWorkload.Counts changes) {
            return new Counts(snapshot, changes.inserts(), changes.updates(), changes.replaces(), changes.deletes());
        }

        static Counts of(com.fasterxml.jackson.databind.JsonNode table) {
            com.fasterxml.jackson.databind.JsonNode cdc = table.path("cdc");
            return new Counts(table.at("/snapshot/rowsLoaded").asLong(-1), cdc.path("inserts").asLong(-1),
                cdc.path("updates").asLong(-1), cdc.path("replaces").asLong(-1), cdc.path("deletes").asLong(-1));
        }
    }

    /** The counts of the pipe's first table. */
    static Counts counts(RestApi api, String id) {
        return Counts.of(api.get("/v1/pipes/" + id + "/tables").body().get(0));
    }

    /** Waits until the pipe's first table shows {@code expected}. */
    static void awaitCounts(RestApi api, String id, Counts expected) {
        Eventually.within(TIMEOUT, () -> assertThat(counts(api, id)).isEqualTo(expected));
    }
}
