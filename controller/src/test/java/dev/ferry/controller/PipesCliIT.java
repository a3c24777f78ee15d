package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/** {@code bin/ferry pipes ...} as a user runs it, against a running controller. */
@ExtendWith(ClickHouseExtension.class)
class PipesCliIT extends WithController {

    private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).getParent().resolve("bin/ferry");

    private record Run(int exitCode, String output) {
    }

    private static Run ferry(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "pipes"));
        command.addAll(List.of(args));
        command.addAll(List.of("--url", controller.url()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
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

        Run created = ferry("create", "--file", request.toString());
        Run listed = ferry("list");
        Run got = ferry("get", db);
        Run tables = ferry("tables", db);
        Run deleted = ferry("delete", db);

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
        Run run = ferry("get", "no-such-pipe");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).startsWith("error: no pipe with id or name 'no-such-pipe'");
    }
}
