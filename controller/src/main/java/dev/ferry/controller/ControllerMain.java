package dev.ferry.controller;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import dev.ferry.common.sql.SyncLogTable;
import dev.ferry.controller.api.ApiAccess;
import dev.ferry.controller.pipe.AlertSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code bin/ferry controller}: the controller's options, parsed by picocli. */
@Command(name = "ferry controller", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs the controller: REST API, pipe catalog, reconciler, and the embedded Flink cluster with its "
        + "dashboard (or, with --flink-url, drives a Flink session cluster).")
public final class ControllerMain implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", description = "The REST API's port (default ${DEFAULT-VALUE}).")
    int port = 8080;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "The address the REST API listens on "
        + "(default ${DEFAULT-VALUE}); any other than loopback needs a token.")
    String bind = "127.0.0.1";

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the API token every "
        + "request must send as 'Authorization: Bearer <token>' (else FERRY_API_TOKEN).")
    Path tokenFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "The pipe catalog (and, with the embedded "
        + "cluster, job specs, checkpoints and savepoints) (default ${DEFAULT-VALUE}).")
    Path dataDir = Path.of("ferry-data");

    @Option(names = "--flink-rest-port", paramLabel = "N", description = "The embedded Flink cluster's REST API "
        + "and dashboard (default ${DEFAULT-VALUE}).")
    int flinkPort = 8081;

    @Option(names = "--flink-url", paramLabel = "URL", description = "Drive this Flink session cluster (its REST "
        + "API, e.g. http://flink:8081) instead of the embedded one; its jobs go on while the controller is down.")
    URL flinkUrl;

    @Option(names = "--state-dir", paramLabel = "URI", description = "Where checkpoints, savepoints and job specs "
        + "live: storage the controller, the JobManager and every TaskManager reach (file:///shared/ferry, "
        + "s3://bucket/ferry, hdfs://...); required with --flink-url (default: the data directory).")
    String stateDir;

    @Option(names = "--alert-webhook", paramLabel = "URL", description = "Announce transitions of every pipe "
        + "without alerts of its own to this webhook: a JSON POST {pipe, from, to, reason, at}.")
    String alertWebhook;

    @Option(names = "--alert-on", paramLabel = "STATE", split = ",", description = "The states announced to "
        + "--alert-webhook (default: Degraded,Failed).")
    List<String> alertOn;

    @Option(names = "--sync-log", paramLabel = "DATABASE.TABLE", description = "Where each pipe's job logs its "
        + "syncs, on the pipe's ClickHouse server (default ${DEFAULT-VALUE}); created at setup.")
    String syncLog = SyncLogTable.DEFAULT.toString();

    @Option(names = "--sync-log-ttl-days", paramLabel = "N", description = "Days the sync log keeps a sync, where "
        + "the server has table TTLs (ClickHouse 19.6 and newer); 0 keeps them for ever (default ${DEFAULT-VALUE}). "
        + "Each table's totals are kept whatever the TTL.")
    int syncLogTtlDays = SyncLogSettings.DEFAULT.ttlDays();

    public static void main(String[] args) {
        int exit = new CommandLine(new ControllerMain()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (flinkUrl != null && stateDir == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--flink-url needs --state-dir: storage "
                + "the session cluster's JobManager and TaskManagers reach as well as the controller");
        }
        Path home = Path.of(System.getProperty("ferry.home", "."));
        Controller controller;
        try {
            ApiAccess access = ApiAccess.of(bind, token());
            controller = Controller.start(new Controller.Settings(port, access, dataDir, flinkPort,
                home.resolve("flink-conf"), jobJar(home), 500, flinkUrl, stateDir, alerts(), syncLog()));
        } catch (ControllerConfigurationException | IllegalStateException | IOException e) {
            System.err.println("ferry controller: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                controller.close();
            } catch (Exception e) {
                System.err.println("ferry controller: error while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }, "ferry-controller-shutdown"));
        System.out.println("ferry controller listening on " + controller.url() + " (data in "
            + dataDir.toAbsolutePath() + "); " + (flinkUrl == null ? "the Flink dashboard starts with the first pipe "
            + "on http://127.0.0.1:" + flinkPort : "pipes run on the Flink session cluster " + flinkUrl
            + ", state in " + stateDir));
        stopped.await();
        return 0;
    }

    private AlertSettings alerts() {
        if (alertWebhook == null) {
            return AlertSettings.NONE;
        }
        ObjectNode node = Controller.objectMapper().createObjectNode()
            .put("webhookUrl", alertWebhook);
        if (alertOn != null) {
            alertOn.forEach(node.putArray("on")::add);
        }
        List<String> problems = new ArrayList<>();
        AlertSettings alerts = AlertSettings.parse(node, "--alert-webhook/--alert-on", problems);
        if (!problems.isEmpty()) {
            throw new ControllerConfigurationException(String.join("; ", problems));
        }
        return alerts;
    }

    private SyncLogSettings syncLog() {
        try {
            return new SyncLogSettings(SyncLogTable.parse(syncLog), syncLogTtlDays);
        } catch (IllegalArgumentException e) {
            throw new ControllerConfigurationException("--sync-log " + syncLog + " --sync-log-ttl-days "
                + syncLogTtlDays + ": " + e.getMessage());
        }
    }

    private Optional<String> token() throws IOException {
        if (tokenFile != null) {
            if (!Files.isReadable(tokenFile)) {
                throw new ControllerConfigurationException("--token-file " + tokenFile + ": cannot read it");
            }
            return Optional.of(Files.readString(tokenFile, StandardCharsets.UTF_8));
        }
        return Optional.ofNullable(System.getenv("FERRY_API_TOKEN"));
    }

    /** The job jar the build puts in job/target. */
    public static Path jobJar(Path home) throws IOException {
        Path target = home.resolve("job/target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                return files.filter(f -> f.getFileName().toString().endsWith("-flink.jar")).findFirst()
                    .orElse(target.resolve("ferry-job-flink.jar"));
            }
        }
        return target.resolve("ferry-job-flink.jar");
    }
}
