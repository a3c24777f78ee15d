package dev.ferry.controller.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.controller.pipe.LifecycleState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/**
 * {@code bin/ferry pipes ...} (and {@code bin/ferry verify}): the controller's REST API from the command line,
 * parsed by picocli. Exit status 0 on success, 1 when the controller refused (its message is printed) or cannot
 * be reached, 2 on a usage error.
 */
@Command(name = "ferry pipes", mixinStandardHelpOptions = true, subcommandsRepeatable = false,
    description = "The controller's pipes: list, create, watch, pause, resume, resync, verify and delete them.",
    footer = "The token of a controller started with one is read from FERRY_API_TOKEN.")
public final class PipesCli {

    @Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT, description = "The controller "
        + "(default: $FERRY_URL or http://127.0.0.1:8080).")
    String url = System.getenv().getOrDefault("FERRY_URL", "http://127.0.0.1:8080");

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    /** How a command that prints a table prints it. */
    enum Format { table, json }

    /** {@code --output table|json}, for the commands that print tables. */
    static final class Output {
        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default) or json.")
        Format format = Format.table;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new PipesCli());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof ControllerClient.Unreachable) {
                line.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return commandLine;
    }

    private ControllerClient client() {
        return new ControllerClient(url, System.getenv("FERRY_API_TOKEN"));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The pipes, one line each.")
    int list(@Mixin Output output) {
        ControllerClient.Reply reply = client().get("/v1/pipes");
        if (reply.refused() || output.format == Format.json) {
            return print(reply);
        }
        out.printf("%-36s  %-24s  %-12s  %s%n", "ID", "NAME", "STATE", "REASON");
        for (JsonNode pipe : reply.body()) {
            out.printf("%-36s  %-24s  %-12s  %s%n", pipe.path("id").asText(), pipe.path("name").asText(),
                pipe.path("state").asText(), pipe.path("stateReason").asText());
        }
        return 0;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "One pipe, as JSON.")
    int get(@Parameters(paramLabel = "PIPE", description = "The pipe's id or name.") String pipe) {
        return print(client().get(pipePath(pipe)));
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a pipe from a JSON request "
        + "(see README.md's REST API).")
    int create(@Option(names = "--file", required = true, paramLabel = "FILE", description = "The request.")
               Path file) {
        String body;
        try {
            body = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("error: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        return print(client().call("POST", "/v1/pipes", body));
    }

    @Command(name = "tables", mixinStandardHelpOptions = true, description = "Per table: snapshot progress and "
        + "change counts; with --watch, progress bars with the time left, until every table is loaded.")
    int tables(@Parameters(paramLabel = "PIPE", description = "The pipe's id or name.") String pipe,
               @Option(names = "--watch", description = "Show live progress until no table is loading.")
               boolean watch,
               @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
                   description = "Seconds between refreshes with --watch (default ${DEFAULT-VALUE}).") int interval,
               @Mixin Output output) throws InterruptedException {
        ControllerClient client = client();
        ControllerClient.Reply reply = client.get(pipePath(pipe) + "/tables");
        if (reply.refused() || !watch && output.format == Format.json) {
            return print(reply);
        }
        if (!watch) {
            TableView.print(reply.body(), out);
            return 0;
        }
        while (true) {
            if (output.format == Format.json) {
                out.println(reply.body());
            } else {
                out.println("-- " + LocalTime.now().withNano(0));
                TableView.progress(reply.body(), out);
            }
            out.flush();
            if (!TableView.loading(reply.body())) {
                return 0;
            }
            TimeUnit.SECONDS.sleep(Math.max(1, interval));
            reply = client.get(pipePath(pipe) + "/tables");
            if (reply.refused()) {
                return print(reply);
            }
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "The pipe's state transitions.")
    int history(@Parameters(paramLabel = "PIPE", description = "The pipe's id or name.") String pipe,
                @Mixin Output output) {
        ControllerClient.Reply reply = client().get(pipePath(pipe) + "/history");
        if (reply.refused() || output.format == Format.json) {
            return print(reply);
        }
        out.printf("%-24s  %-12s  %-12s  %s%n", "AT", "FROM", "TO", "REASON");
        for (JsonNode transition : reply.body()) {
            out.printf("%-24s  %-12s  %-12s  %s%n", transition.path("at").asText(),
                transition.path("from").asText("-"), transition.path("to").asText(),
                transition.path("reason").asText(""));
        }
        return 0;
    }

    @Command(name = "syncs", mixinStandardHelpOptions = true, description = "The pipe's syncs, newest first: what "
        + "each completed checkpoint of its job made durable, a line per table.")
    int syncs(@Parameters(paramLabel = "PIPE", description = "The pipe's id or name.") String pipe,
              @Option(names = "--since", paramLabel = "WHEN", converter = SinceConverter.class, description = "Only "
                  + "syncs committed since: an ISO-8601 time, or a span back from now (90s, 30m, 2h).")
              Instant since,
              @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N syncs "
                  + "(default ${DEFAULT-VALUE}).") int limit,
              @Mixin Output output) {
        ControllerClient.Reply reply = client().get(pipePath(pipe) + "/syncs?limit=" + limit
            + (since == null ? "" : "&since=" + since));
        if (reply.refused() || output.format == Format.json) {
            return print(reply);
        }
        SyncView.print(reply.body(), out);
        return 0;
    }

    @Command(name = "errors", mixinStandardHelpOptions = true, description = "What went wrong with the pipe, newest "
        + "first: when each problem began and when it was over.")
    int errors(@Parameters(paramLabel = "PIPE", description = "The pipe's id or name.") String pipe,
               @Mixin Output output) {
        ControllerClient.Reply reply = client().get(pipePath(pipe) + "/errors");
        if (reply.refused() || output.format == Format.json) {
            return print(reply);
        }
        out.printf("%-24s  %-24s  %-10s  %-22s  %s%n", "AT", "RESOLVED AT", "STATE", "CODE", "MESSAGE");
        for (JsonNode error : reply.body()) {
            out.printf("%-24s  %-24s  %-10s  %-22s  %s%n", error.path("at").asText(),
                error.path("resolvedAt").isTextual() ? error.path("resolvedAt").asText() : "-",
                error.path("state").asText(), error.path("code").asText(), error.path("message").asText(""));
        }
        return 0;
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stops the pipe's job with a savepoint "
        + "(state Pausing, then Paused).")
    int pause(@Parameters(paramLabel = "PIPE", description = "The pipe's id or name.") String pipe) {
        return act(pipe, "pause");
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Starts the pipe again from where it "
        + "paused.")
    int resume(@Parameters(paramLabel = "PIPE", description = "The pipe's id or name.") String pipe) {
        return act(pipe, "resume");
    }

    @Command(name = "resync", mixinStandardHelpOptions = true, description = "Loads everything (or one table, "
        + "while the others go on) again into _resync tables and swaps them in.")
    int resync(@Parameters(paramLabel = "PIPE", description = "The pipe's id or name.") String pipe,
               @Option(names = "--table", paramLabel = "TABLE", description = "Only this target table.")
               String table) {
        return table == null ? act(pipe, "resync")
            : print(client().call("POST", pipePath(pipe) + "/tables/" + ControllerClient.segment(table) + "/resync",
                null));
    }

    @Command(name = "wait", mixinStandardHelpOptions = true, description = "Waits until the pipe has applied every "
        + "change asked of it and is in a state; exit status 1 with the reason on timeout or when it is Failed.")
    int waitFor(@Parameters(paramLabel = "PIPE", description = "The pipe's id or name.") String pipe,
                @Option(names = "--state", required = true, paramLabel = "STATE", converter = StateConverter.class,
                    description = "Running, Paused, ... (any case).") LifecycleState state,
                @Option(names = "--timeout", paramLabel = "T", defaultValue = "600", converter = DurationConverter.class,
                    description = "Seconds (90), or minutes or hours (5m, 1h) (default ${DEFAULT-VALUE}).")
                Duration timeout) throws InterruptedException {
        ControllerClient client = client();
        long deadline = System.nanoTime() + timeout.toNanos();
        String shown = null;
        while (true) {
            ControllerClient.Reply reply = client.call("GET", pipePath(pipe), null, Duration.ofSeconds(30));
            if (reply.refused()) {
                return print(reply);
            }
            JsonNode body = reply.body();
            String now = body.path("state").asText();
            boolean applied = body.path("observedGeneration").asLong() == body.path("generation").asLong();
            if (!now.equals(shown)) {
                err.println(now + ": " + body.path("stateReason").asText());
                shown = now;
            }
            if (applied && now.equals(state.label())) {
                return 0;
            }
            if (now.equals(LifecycleState.FAILED.label()) && state != LifecycleState.FAILED) {
                err.println("error: pipe " + body.path("name").asText() + " is Failed: "
                    + body.path("stateReason").asText());
                return 1;
            }
            if (System.nanoTime() > deadline) {
                err.println("error: timed out after " + timeout.toSeconds() + " s waiting for " + state.label()
                    + "; pipe " + body.path("name").asText() + " is " + now + " (" + body.path("stateReason").asText()
                    + "), generation " + body.path("generation").asLong() + " of which "
                    + body.path("observedGeneration").asLong() + " applied");
                return 1;
            }
            TimeUnit.SECONDS.sleep(1);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Stops and forgets the pipe; its "
        + "tables stay unless --drop-tables.")
    int delete(@Parameters(paramLabel = "PIPE", description = "The pipe's id or name.") String pipe,
               @Option(names = "--drop-tables", description = "Drop the pipe's tables too.") boolean dropTables) {
        ControllerClient.Reply reply = client().call("DELETE", pipePath(pipe) + (dropTables ? "?dropTables=true" : ""),
            null);
        if (reply.status() == 204) {
            out.println("deleted " + pipe);
            return 0;
        }
        return print(reply);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Compares each collection (or one "
        + "table's) with its table, document by document, showing progress on stderr; exit status 0 only when "
        + "they are equal.")
    int verify(@Parameters(paramLabel = "PIPE", description = "The pipe's id or name.") String pipe,
               @Option(names = "--table", paramLabel = "TABLE", description = "Only this target table.") String table)
        throws InterruptedException {
        ControllerClient client = client();
        String path = pipePath(pipe) + "/verify" + (table == null ? "" : "?table=" + ControllerClient.segment(table));
        CompletableFuture<ControllerClient.Reply> result = CompletableFuture
            .supplyAsync(() -> client.call("GET", path, null, Duration.ofHours(12)));
        while (true) {
            try {
                return report(result.get(1, TimeUnit.SECONDS));
            } catch (TimeoutException e) {
                ControllerClient.Reply progress = client.call("GET", pipePath(pipe) + "/verify/progress", null,
                    Duration.ofSeconds(10));
                if (progress.status() == 200) {
                    for (JsonNode row : progress.body().path("tables")) {
                        long toRead = row.path("rowsToRead").asLong();
                        err.printf("%s: %s, %d/%d rows%s%n", row.path("targetTable").asText(),
                            row.path("phase").asText(), row.path("rowsRead").asLong(), toRead,
                            toRead > 0 ? String.format(" (%d%%)", 100 * row.path("rowsRead").asLong() / toRead) : "");
                    }
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ControllerClient.Unreachable unreachable) {
                    throw unreachable;
                }
                err.println("error: " + e.getCause().getMessage());
                return 1;
            }
        }
    }

    private int report(ControllerClient.Reply reply) {
        if (reply.refused()) {
            return print(reply);
        }
        JsonNode report = reply.body();
        for (JsonNode table : report.path("tables")) {
            out.printf("%s (%s): %s, %d documents in MongoDB, %d rows in ClickHouse", table.path("targetTable")
                    .asText(), table.path("source").asText(), table.path("equal").asBoolean() ? "EQUAL" : "DIFFERENT",
                table.path("mongodbDocuments").asLong(), table.path("clickhouseRows").asLong());
            out.printf("; missing %d, extra %d, different %d%s%n", table.path("missing").asLong(),
                table.path("extra").asLong(), table.path("different").asLong(),
                table.path("keptDeletes").asLong() > 0 ? ", kept deletes " + table.path("keptDeletes").asLong() : "");
            for (String kind : List.of("missingIds", "extraIds", "differentIds")) {
                for (JsonNode example : table.path(kind)) {
                    out.printf("  %s %s%n    mongodb:    %s%n    clickhouse: %s%n", kind.replace("Ids", ""),
                        example.path("id").asText(), example.path("mongodb").asText("-"),
                        example.path("clickhouse").asText("-"));
                }
            }
        }
        return report.path("equal").asBoolean() ? 0 : 1;
    }

    private int act(String pipe, String action) {
        return print(client().call("PATCH", pipePath(pipe) + "/state", "{\"action\": \"" + action + "\"}"));
    }

    private static String pipePath(String pipe) {
        return "/v1/pipes/" + ControllerClient.segment(pipe);
    }

    private int print(ControllerClient.Reply reply) {
        if (reply.refused()) {
            err.println("error: " + reply.error());
            return 1;
        }
        out.println(reply.body().toPrettyString());
        return 0;
    }

    /** A lifecycle state by its name in any case, or a usage error listing the states. */
    static final class StateConverter implements CommandLine.ITypeConverter<LifecycleState> {
        @Override
        public LifecycleState convert(String value) {
            return LifecycleState.fromLabel(value).orElseThrow(() -> new CommandLine.TypeConversionException(
                "no state '" + value + "'; one of " + List.of(LifecycleState.values())));
        }
    }

    /** {@code 90}, {@code 90s}, {@code 5m} or {@code 1h}. */
    /** A time: ISO-8601, or a span back from now as {@link DurationConverter} reads it. */
    static final class SinceConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return Instant.now().minus(new DurationConverter().convert(text));
            }
        }
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            try {
                if (text.endsWith("h")) {
                    return Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)));
                }
                if (text.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
                }
                return Duration.ofSeconds(Long.parseLong(text.endsWith("s") ? text.substring(0, text.length() - 1)
                    : text));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("takes seconds (90), or minutes or hours (5m, 1h); got "
                    + text);
            }
        }
    }
}
