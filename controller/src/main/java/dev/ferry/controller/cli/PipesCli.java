package dev.ferry.controller.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code bin/ferry pipes ...}: the controller's REST API from the command line. Exit status 0 on success, 1 when
 * the controller refused (its message is printed), 2 on a usage error.
 */
public final class PipesCli {

    private static final String USAGE = """
        usage: ferry pipes <command> [--url URL]

          list                      the pipes, one line each
          get PIPE                  one pipe as JSON (PIPE: id or name)
          create --file F           create a pipe from the JSON request in F
          tables PIPE               per table: snapshot progress and change counts
          history PIPE              the pipe's state transitions
          pause PIPE                stop the pipe's job with a savepoint (state Pausing, then Paused)
          resume PIPE               start it again from where it paused
          resync PIPE [--table T]   load everything (or table T only, while the others go on) again into
                                    _resync tables and swap them in
          wait PIPE --state S [--timeout T]
                                    wait until the pipe has applied every change asked of it and is in state S
                                    (Running, Paused, ...); T in seconds (default 600), or with m or h; exit
                                    status 0 when reached, 1 with the reason on timeout or when the pipe is Failed
          delete PIPE [--drop-tables]  stop and forget the pipe (its tables stay unless --drop-tables)
          verify PIPE [--table T]   compare each collection (or T's) with its table, document by document;
                                    exit status 0 only when they are equal

          --url URL                 the controller (default $FERRY_URL or http://127.0.0.1:8080)
        """;

    private final String baseUrl;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PipesCli(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public static void main(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        String url = System.getenv().getOrDefault("FERRY_URL", "http://127.0.0.1:8080");
        int urlAt = rest.indexOf("--url");
        if (urlAt >= 0) {
            if (urlAt + 1 >= rest.size()) {
                usage("--url needs a value");
            }
            url = rest.remove(urlAt + 1);
            rest.remove(urlAt);
        }
        if (rest.isEmpty() || rest.get(0).equals("--help") || rest.get(0).equals("-h")) {
            System.out.print(USAGE);
            System.exit(rest.isEmpty() ? 2 : 0);
        }
        System.exit(new PipesCli(url).run(rest));
    }

    private int run(List<String> args) {
        String command = args.get(0);
        return switch (command) {
            case "list" -> list();
            case "get" -> print(call("GET", "/v1/pipes/" + pipe(args), null));
            case "tables" -> tables(pipe(args));
            case "history" -> print(call("GET", "/v1/pipes/" + pipe(args) + "/history", null));
            case "create" -> create(args);
            case "resync" -> args.contains("--table") ? print(call("POST", "/v1/pipes/" + pipe(args) + "/tables/"
                + URLEncoder.encode(option(args, "--table"), StandardCharsets.UTF_8) + "/resync", null)) : print(call("PATCH", "/v1/pipes/" + pipe(args)
                + "/state", "{\"action\": \"resync\"}"));
            case "pause", "resume" -> print(call("PATCH", "/v1/pipes/" + pipe(args) + "/state",
                "{\"action\": \"" + command + "\"}"));
            case "delete" -> {
                String query = args.contains("--drop-tables") ? "?dropTables=true" : "";
                Reply reply = call("DELETE", "/v1/pipes/" + pipe(args) + query, null);
                if (reply.status() == 204) {
                    System.out.println("deleted " + args.get(1));
                    yield 0;
                }
                yield print(reply);
            }
            case "verify" -> verify(pipe(args), args.contains("--table") ? option(args, "--table") : null);
            case "wait" -> waitFor(pipe(args), state(option(args, "--state")),
                args.contains("--timeout") ? duration(option(args, "--timeout")) : Duration.ofMinutes(10));
            default -> usage("unknown command '" + command + "'");
        };
    }

    private int list() {
        Reply reply = call("GET", "/v1/pipes", null);
        if (reply.status() != 200) {
            return print(reply);
        }
        System.out.printf("%-36s  %-24s  %-12s  %s%n", "ID", "NAME", "STATE", "REASON");
        for (JsonNode pipe : reply.body()) {
            System.out.printf("%-36s  %-24s  %-12s  %s%n", pipe.path("id").asText(), pipe.path("name").asText(),
                pipe.path("state").asText(), pipe.path("stateReason").asText());
        }
        return 0;
    }

    private int tables(String pipe) {
        Reply reply = call("GET", "/v1/pipes/" + pipe + "/tables", null);
        if (reply.status() != 200) {
            return print(reply);
        }
        System.out.printf("%-24s  %-8s  %21s  %10s  %8s  %9s  %9s  %9s  %s%n", "TABLE", "SNAPSHOT", "ROWS LOADED/ESTIMATED",
            "ROWS/S", "ETA", "INSERTS", "UPDATES", "DELETES", "LAST SYNCED");
        for (JsonNode table : reply.body()) {
            JsonNode snapshot = table.path("snapshot");
            JsonNode cdc = table.path("cdc");
            System.out.printf("%-24s  %-8s  %21s  %10s  %8s  %9d  %9d  %9d  %s%n", table.path("targetTable").asText(),
                snapshot.path("status").asText(),
                snapshot.path("rowsLoaded").asLong() + "/" + snapshot.path("rowsEstimated").asLong(),
                snapshot.path("rowsPerSecond").isNumber() ? String.format("%.0f", snapshot.path("rowsPerSecond").asDouble()) : "-",
                snapshot.path("etaSeconds").isNumber() ? snapshot.path("etaSeconds").asLong() + "s" : "-",
                cdc.path("inserts").asLong(), cdc.path("updates").asLong(), cdc.path("deletes").asLong(),
                cdc.path("lastSyncedAt").isTextual() ? cdc.path("lastSyncedAt").asText() : "-");
        }
        return 0;
    }

    /**
     * Runs a verification, showing its progress on stderr while it runs, then one line per table and the first
     * differing ids with both versions. Exit status 0 only when every table equals its collection.
     */
    private int verify(String pipe, String table) {
        String path = "/v1/pipes/" + pipe + "/verify"
            + (table == null ? "" : "?table=" + URLEncoder.encode(table, StandardCharsets.UTF_8));
        java.util.concurrent.CompletableFuture<Reply> result = java.util.concurrent.CompletableFuture
            .supplyAsync(() -> call("GET", path, null, Duration.ofHours(12)));
        while (!result.isDone()) {
            try {
                Reply reply = result.get(1, java.util.concurrent.TimeUnit.SECONDS);
                return report(reply);
            } catch (java.util.concurrent.TimeoutException e) {
                Reply progress = call("GET", "/v1/pipes/" + pipe + "/verify/progress", null, Duration.ofSeconds(10));
                if (progress.status() == 200) {
                    for (JsonNode row : progress.body().path("tables")) {
                        long toRead = row.path("rowsToRead").asLong();
                        System.err.printf("%s: %s, %d/%d rows%s%n", row.path("targetTable").asText(),
                            row.path("phase").asText(), row.path("rowsRead").asLong(), toRead,
                            toRead > 0 ? String.format(" (%d%%)", 100 * row.path("rowsRead").asLong() / toRead) : "");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            } catch (java.util.concurrent.ExecutionException e) {
                System.err.println("error: " + e.getCause().getMessage());
                return 1;
            }
        }
        return report(result.join());
    }

    /**
     * Waits as a client of the API should: until the pipe's {@code observedGeneration} reaches its
     * {@code generation} (every change asked of it applied) and it is in {@code state}. Each new state is shown
     * on stderr.
     */
    private int waitFor(String pipe, String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String shown = null;
        while (true) {
            Reply reply = call("GET", "/v1/pipes/" + pipe, null, Duration.ofSeconds(30));
            if (reply.status() != 200) {
                return print(reply);
            }
            JsonNode body = reply.body();
            String now = body.path("state").asText();
            boolean applied = body.path("observedGeneration").asLong() == body.path("generation").asLong();
            if (!now.equals(shown)) {
                System.err.println(now + ": " + body.path("stateReason").asText());
                shown = now;
            }
            if (applied && now.equals(state)) {
                return 0;
            }
            if (now.equals("Failed") && !state.equals("Failed")) {
                System.err.println("error: pipe " + body.path("name").asText() + " is Failed: "
                    + body.path("stateReason").asText());
                return 1;
            }
            if (System.nanoTime() > deadline) {
                System.err.println("error: timed out after " + timeout.toSeconds() + " s waiting for " + state
                    + "; pipe " + body.path("name").asText() + " is " + now + " (" + body.path("stateReason").asText()
                    + "), generation " + body.path("generation").asLong() + " of which "
                    + body.path("observedGeneration").asLong() + " applied");
                return 1;
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }

    /** A lifecycle state's name as the API shows it, or a usage error listing them. */
    private static String state(String name) {
        return java.util.Arrays.stream(dev.ferry.controller.pipe.LifecycleState.values())
            .map(dev.ferry.controller.pipe.LifecycleState::label)
            .filter(label -> label.equalsIgnoreCase(name)).findFirst()
            .orElseGet(() -> {
                usage("no state '" + name + "'; one of " + java.util.Arrays.toString(
                    dev.ferry.controller.pipe.LifecycleState.values()));
                return name;
            });
    }

    /** {@code 90}, {@code 90s}, {@code 5m} or {@code 1h}. */
    private static Duration duration(String text) {
        try {
            if (text.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            if (text.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(text.endsWith("s") ? text.substring(0, text.length() - 1) : text));
        } catch (NumberFormatException e) {
            usage("--timeout takes seconds (90), or minutes or hours (5m, 1h); got " + text);
            return Duration.ZERO;
        }
    }

    private int report(Reply reply) {
        if (reply.status() != 200) {
            return print(reply);
        }
        JsonNode report = reply.body();
        for (JsonNode table : report.path("tables")) {
            System.out.printf("%s (%s): %s, %d documents in MongoDB, %d rows in ClickHouse", table.path("targetTable")
                .asText(), table.path("source").asText(), table.path("equal").asBoolean() ? "EQUAL" : "DIFFERENT",
                table.path("mongodbDocuments").asLong(), table.path("clickhouseRows").asLong());
            System.out.printf("; missing %d, extra %d, different %d%n", table.path("missing").asLong(),
                table.path("extra").asLong(), table.path("different").asLong());
            for (String kind : List.of("missingIds", "extraIds", "differentIds")) {
                for (JsonNode example : table.path(kind)) {
                    System.out.printf("  %s %s%n    mongodb:    %s%n    clickhouse: %s%n",
                        kind.replace("Ids", ""), example.path("id").asText(), example.path("mongodb").asText("-"),
                        example.path("clickhouse").asText("-"));
                }
            }
        }
        return report.path("equal").asBoolean() ? 0 : 1;
    }

    private int create(List<String> args) {
        Path file = Path.of(option(args, "--file"));
        String body;
        try {
            body = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("error: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        return print(call("POST", "/v1/pipes", body));
    }

    /** The value after {@code name}, or a usage error naming the command that needs it. */
    private static String option(List<String> args, String name) {
        int at = args.indexOf(name);
        if (at < 0 || at + 1 >= args.size() || args.get(at + 1).startsWith("--")) {
            usage(args.get(0) + " needs " + name + " and a value");
        }
        return args.get(at + 1);
    }

    private static String pipe(List<String> args) {
        if (args.size() < 2 || args.get(1).startsWith("--")) {
            usage(args.get(0) + " needs a pipe id or name");
        }
        return URLEncoder.encode(args.get(1), StandardCharsets.UTF_8);
    }

    private record Reply(int status, JsonNode body) {
    }

    private Reply call(String method, String path, String body) {
        return call(method, path, body, Duration.ofSeconds(60));
    }

    private Reply call(String method, String path, String body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = response.body().isEmpty() ? null : json.readTree(response.body());
            return new Reply(response.statusCode(), parsed);
        } catch (IOException e) {
            System.err.println("error: cannot reach the ferry controller at " + baseUrl + " (" + e.getMessage()
                + "); start it with 'bin/ferry controller' or pass --url");
            System.exit(1);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
            return null;
        }
    }

    private int print(Reply reply) {
        if (reply.status() >= 400) {
            System.err.println("error: " + reply.body().path("error").path("message").asText(reply.body().toString()));
            return 1;
        }
        try {
            System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(reply.body()));
        } catch (IOException e) {
            System.out.println(reply.body());
        }
        return 0;
    }

    private static int usage(String problem) {
        System.err.println("ferry pipes: " + problem);
        System.err.print(USAGE);
        System.exit(2);
        return 2;
    }
}
