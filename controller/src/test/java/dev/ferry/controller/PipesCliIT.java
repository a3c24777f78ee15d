package dev.ferry.controller;

import dev.ferry.testkit.mongo.ReplicaSetEmulator;
import dev.ferry.common.MixedWorkload;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoClient;
import java.time.Duration;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/** {@code bin/ferry pipes ...} as a user runs it, against a running controller. */
@ExtendWith(ClickHouseExtension.class)
class PipesCliIT extends WithController {

    private static FerryCli.Run ferry(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("pipes"));
        command.addAll(List.of(args));
        return FerryCli.run(controller.url(), command.toArray(String[]::new));
    }

    @Test
    void createThenListGetTablesAndDeleteAPipe(ClickHouseServer clickHouse, @TempDir Path directory) throws Exception {
        String db = "cli_" + UUID.randomUUID().toString().substring(0, 8);
        mongo.getDatabase(db).getCollection("things").insertOne(new Document("_id", 1));
        Path request = directory.resolve("pipe.json");
        Files.writeString(request, """
            {"name": "%s", "source": {"mongodb": {"uri": "%s"}},
             "destination": {"clickhouse": {"url": "%s", "database": "%s"}},
             "tableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "things"}]}
            """.formatted(db, emulator.connectionString(), clickHouse.url(), db, db));

        FerryCli.Run created = ferry("create", "--file", request.toString());
        FerryCli.Run listed = ferry("list");
        FerryCli.Run got = ferry("get", db);
        FerryCli.Run tables = ferry("tables", db);
        FerryCli.Run deleted = ferry("delete", db);

        assertThat(created.exitCode()).as(created.output()).isZero();
        assertThat(created.output()).contains("\"name\" : \"" + db + "\"");
        assertThat(listed.output()).contains("STATE").contains(db);
        assertThat(got.output()).contains("\"tableMappings\"");
        assertThat(tables.output()).contains("ROWS LOADED/ESTIMATED").contains("things");
        assertThat(deleted.exitCode()).isZero();
        assertThat(ferry("get", db).exitCode()).isEqualTo(1);
    }

    @Test
    void aRefusalIsPrintedAsTheControllersMessageWithExitStatusOne() throws Exception {
        FerryCli.Run run = ferry("get", "no-such-pipe");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).startsWith("error: no pipe with id or name 'no-such-pipe'");
    }

    @Test
    void waitReturnsOnceThePipeHasAppliedItsSpecAndIsInTheState(ClickHouseServer clickHouse) throws Exception {
        String db = "cli_wait_" + UUID.randomUUID().toString().substring(0, 8);
        mongo.getDatabase(db).getCollection("things").insertOne(new Document("_id", 1));
        String id = Pipes.create(api, Pipes.request(db, emulator.connectionString(), clickHouse.url(), db, db,
            "things", "{\"syncIntervalSeconds\": 1}"));

        FerryCli.Run running = ferry("wait", db, "--state", "running", "--timeout", "2m");
        assertThat(running.exitCode()).as(running.output()).isZero();
        assertThat(running.output()).contains("Running: ");
        JsonNode pipe = api.get("/v1/pipes/" + id).body();
        assertThat(pipe.get("observedGeneration").asLong()).isEqualTo(pipe.get("generation").asLong());

        assertThat(ferry("pause", db).exitCode()).isZero();
        FerryCli.Run timedOut = ferry("wait", db, "--state", "Running", "--timeout", "1");
        assertThat(timedOut.exitCode()).isEqualTo(1);
        assertThat(timedOut.output()).contains("timed out after 1 s waiting for Running");
        assertThat(ferry("wait", db, "--state", "Paused").exitCode()).isZero();
        assertThat(ferry("wait", db, "--state", "Sleeping").exitCode()).as("no such state").isEqualTo(2);
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void tablesWatchShowsProgressBarsWithTheTimeLeftUntilEveryTableIsLoaded(ClickHouseServer clickHouse)
        throws Exception {
        String db = "cli_watch_" + UUID.randomUUID().toString().substring(0, 8);
        // read slowly (100 ms a batch of 100), so that the load takes about ten seconds to watch
        try (ReplicaSetEmulator slow = ReplicaSetEmulator.builder().readLatency(db + ".orders", Duration.ofMillis(100))
                 .start();
             MongoClient client = MongoClients.create(slow.connectionString())) {
            MixedWorkload.insertInitial(client.getDatabase(db).getCollection("orders"), 10_000);
            String id = Pipes.create(api, Pipes.request(db, slow.connectionString(), clickHouse.url(), db, db,
                "orders", "{\"syncIntervalSeconds\": 1, \"pullBatchSize\": 100, \"snapshotParallelism\": 1}"));

            FerryCli.Run watched = ferry("tables", db, "--watch", "--interval", "1");

            assertThat(watched.exitCode()).as(watched.output()).isZero();
            List<String> frames = List.of(watched.output().split("-- "));
            assertThat(frames).anySatisfy(frame -> assertThat(frame).containsPattern("orders +\\[#+\\.+\\] +\\d+%")
                .containsPattern("ETA \\d+s").contains("running"));
            assertThat(frames.get(frames.size() - 1)).contains("[" + "#".repeat(30) + "] 100%").contains("done");
            api.delete("/v1/pipes/" + id);
        }
    }

    @Test
    void outputJsonPrintsWhatTheApiAnswers() throws Exception {
        FerryCli.Run listed = ferry("list", "--output", "json");

        assertThat(listed.exitCode()).as(listed.output()).isZero();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(listed.output()).isArray()).isTrue();
    }
}
