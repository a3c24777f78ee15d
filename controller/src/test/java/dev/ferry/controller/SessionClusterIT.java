package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.CountedWorkload;
import dev.ferry.common.Eventually;
import dev.ferry.common.MixedWorkload;
import dev.ferry.controller.api.ApiAccess;
import dev.ferry.controller.pipe.AlertSettings;
import dev.ferry.controller.flink.standalone.FlinkClusterMain;
import dev.ferry.controller.flink.standalone.StandaloneFlinkCluster;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;

/**
 * Pipes on a real standalone Flink session cluster (a JobManager and two TaskManagers, each a JVM of its own) that
 * the controller drives over its REST API: the jobs go on while the controller is down, survive lost TaskManagers
 * and a restarted JobManager with nothing lost, and leave nothing behind in the TaskManagers when they stop; no
 * secret shows in what Flink shows.
 */
@ExtendWith(ClickHouseExtension.class)
class SessionClusterIT {

    private static final String SETTINGS = "{\"syncIntervalSeconds\": 1, \"pullBatchSize\": 500}";

    @TempDir
    static Path directory;
    static StandaloneFlinkCluster cluster;
    static String stateDirectory;
    static ReplicaSetEmulator emulator;
    static MongoClient mongo;
    static Controller controller;
    static RestApi api;
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startClusterAndController() throws Exception {
        stateDirectory = directory.resolve("state").toUri().toString();
        cluster = StandaloneFlinkCluster.start(new StandaloneFlinkCluster.Options(0, 2, 4, stateDirectory,
            TestControllers.FLINK_CONF, FlinkClusterMain.flinkLib(TestControllers.HOME), directory.resolve("flink"),
            Map.of()));
        emulator = ReplicaSetEmulator.start();
        mongo = MongoClients.create(emulator.connectionString());
        controller = Controller.start(new Controller.Settings(0, ApiAccess.loopback(), directory.resolve("ferry"), 0,
            TestControllers.FLINK_CONF, ControllerMain.jobJar(TestControllers.HOME), 200, cluster.restUrl(),
            stateDirectory, AlertSettings.NONE, SyncLogSettings.DEFAULT));
        api = new RestApi(controller.url());
    }

    @AfterAll
    static void stopAll() throws Exception {
        controller.close();
        mongo.close();
        emulator.close();
        cluster.close();
    }

    private static String database(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonNode flink(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cluster.restUrl() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("Flink did not answer " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String flinkText(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(cluster.restUrl() + path)).timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String jobOf(RestApi api, String id) {
        return api.get("/v1/pipes/" + id).body().get("flinkJobId").asText();
    }

    /** The pipe's jobs the cluster runs now. */
    private static List<String> runningJobsOf(String pipeId) {
        List<String> jobs = new ArrayList<>();
        for (JsonNode job : flink("jobs/overview").path("jobs")) {
            if (job.path("name").asText().contains(pipeId) && job.path("state").asText().equals("RUNNING")) {
                jobs.add(job.path("jid").asText());
            }
        }
        return jobs;
    }

    private static RestApi.Reply act(RestApi api, String id, String action) {
        RestApi.Reply reply = api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"" + action + "\"}");
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(202);
        return reply;
    }

    @Test
    void aPipeRunsOnTheClusterWithItsStateInTheStateDirectoryAndNoSecretInWhatFlinkShows(ClickHouseServer clickHouse)
        throws Exception {
        String db = database("secrets");
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 500);
        String secret = "ch-" + UUID.randomUUID();
        clickHouse.putUser("session_writer", secret, false);
        Path passwordFile = directory.resolve("clickhouse-password");
        Files.writeString(passwordFile, secret);
        MongoCollection<Document> referenced = mongo.getDatabase(db + "_ref").getCollection("orders");
        MixedWorkload.insertInitial(referenced, 100);
        String id = Pipes.create(api, pipeWithPassword(db, clickHouse, "\"" + secret + "\""));
        String byReference = Pipes.create(api, pipeWithPassword(db + "_ref", clickHouse,
            "{\"fromFile\": \"" + passwordFile + "\"}"));

        Pipes.awaitState(api, id, "Running");
        Pipes.awaitState(api, byReference, "Running");
        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        Pipes.awaitEqual(clickHouse, db + "_ref", "orders", referenced);

        String job = jobOf(api, id);
        assertThat(api.get("/v1/pipes/" + id).body().get("dashboardUrl").asText())
            .startsWith(cluster.restUrl().toString()).contains(job);
        Eventually.within(Pipes.TIMEOUT, () -> assertThat(directory.resolve("state/checkpoints/" + job)).isDirectory());
        for (String path : List.of("jobs/" + job, "jobs/" + job + "/config", "jobs/" + job + "/plan", "jars",
            "jobmanager/config", "jobs/" + job + "/exceptions", "jobs/" + jobOf(api, byReference) + "/config")) {
            assertThat(flinkText(path)).as(path).doesNotContain(secret);
        }
        try (Stream<Path> logs = Files.list(cluster.logDirectory())) {
            for (Path log : logs.toList()) {
                assertThat(Files.readString(log)).as(log.toString()).doesNotContain(secret);
            }
        }
        Path spec = directory.resolve("state/pipes/" + id + "/spec.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spec))).isEqualTo("rw-------");
        assertThat(Files.readString(directory.resolve("state/pipes/" + byReference + "/spec.json")))
            .doesNotContain(secret).contains(passwordFile.toString());
        api.delete("/v1/pipes/" + id);
        api.delete("/v1/pipes/" + byReference);
    }

    private static String pipeWithPassword(String db, ClickHouseServer clickHouse, String password) {
        return """
            {"name": "%s", "source": {"mongodb": {"uri": "%s"}},
             "destination": {"clickhouse": {"url": "%s", "database": "%s",
                             "credentials": {"username": "session_writer", "password": %s}}},
             "tableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "orders"}],
             "settings": %s}""".formatted(db, emulator.connectionString(), clickHouse.url(), db, password, db,
            SETTINGS);
    }

    /**
     * The controller is stopped, then killed, while writes go on: rows keep arriving meanwhile, and each restarted
     * controller takes up the same job, starting no second one.
     */
    @Test
    void jobsGoOnWhileTheControllerIsDownAndARestartedControllerReattachesToThem(ClickHouseServer clickHouse)
        throws Exception {
        String db = database("controller_down");
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 300);
        int port = TestControllers.freePort();
        Path data = directory.resolve("controller-process");
        String[] remote = {"--flink-url", cluster.restUrl().toString(), "--state-dir", stateDirectory};
        String id;
        String job;
        try (ControllerProcess first = ControllerProcess.start(port, data, remote)) {
            id = Pipes.create(first.api(), Pipes.request(db, emulator.connectionString(), clickHouse.url(), db, db,
                "orders", SETTINGS));
            Pipes.awaitState(first.api(), id, "Running");
            job = jobOf(first.api(), id);
        }

        new MixedWorkload(orders, 3, 300).run(100);
        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        ControllerProcess second = ControllerProcess.start(port, data, remote);
        Pipes.awaitState(second.api(), id, "Running");
        assertThat(jobOf(second.api(), id)).isEqualTo(job);
        second.kill();

        new MixedWorkload(orders, 4, 1_000).run(100);
        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        try (ControllerProcess third = ControllerProcess.start(port, data, remote)) {
            Pipes.awaitState(third.api(), id, "Running");
            assertThat(jobOf(third.api(), id)).isEqualTo(job);
            assertThat(runningJobsOf(id)).containsExactly(job);
            new MixedWorkload(orders, 5, 2_000).run(50);
            Pipes.awaitEqual(clickHouse, db, "orders", orders);
            third.api().delete("/v1/pipes/" + id);
        }
    }

    /** The TaskManager that runs most of a pipe's tasks; the test kills it. */
    private static StandaloneFlinkCluster.TaskManager busiestTaskManager() throws Exception {
        String busiest = null;
        int mostUsed = -1;
        for (JsonNode taskManager : flink("taskmanagers").path("taskmanagers")) {
            int used = taskManager.path("slotsNumber").asInt() - taskManager.path("freeSlots").asInt();
            if (used > mostUsed) {
                mostUsed = used;
                busiest = taskManager.path("id").asText();
            }
        }
        String resourceId = busiest;
        return cluster.taskManagers().stream().filter(taskManager -> taskManager.isNamed(resourceId)).findFirst()
            .orElseThrow(() -> new AssertionError("no TaskManager process for " + resourceId));
    }

    @Test
    void aTaskManagerLostMidSnapshotOrMidCdcMakesThePipeDegradedUntilItsTasksRunElsewhereAndNothingIsLost(
        ClickHouseServer clickHouse) throws Exception {
        String db = database("tm_lost");
        // a snapshot of about five seconds: 100 reads of 200 documents, 50 ms each
        try (ReplicaSetEmulator slow = ReplicaSetEmulator.builder().readLatency(db + ".orders", Duration.ofMillis(50))
                 .start();
             MongoClient client = MongoClients.create(slow.connectionString())) {
            MongoCollection<Document> orders = client.getDatabase(db).getCollection("orders");
            MixedWorkload.insertInitial(orders, 20_000);
            String id = Pipes.create(api, Pipes.request(db, slow.connectionString(), clickHouse.url(), db, db,
                "orders", "{\"syncIntervalSeconds\": 1, \"pullBatchSize\": 200}"));
            Pipes.awaitState(api, id, "Snapshot");
            cluster.killTaskManager(busiestTaskManager());
            cluster.startTaskManager();
            Pipes.awaitState(api, id, "Running");
            Pipes.awaitEqual(clickHouse, db, "orders", orders);

            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicReference<CountedWorkload.Counts> made = new AtomicReference<>(CountedWorkload.Counts.NONE);
            Thread writer = new Thread(() -> {
                CountedWorkload workload = new CountedWorkload(orders, 9, 20_000);
                while (writing.get()) {
                    made.set(made.get().plus(workload.run(3, 3, 2, 2)));
                }
            });
            writer.start();
            Thread.sleep(2_000);
            cluster.killTaskManager(busiestTaskManager());
            Pipes.awaitState(api, id, "Degraded");
            cluster.startTaskManager();
            Thread.sleep(2_000);
            writing.set(false);
            writer.join();
            Pipes.awaitState(api, id, "Running");
            Pipes.awaitEqual(clickHouse, db, "orders", orders);
            assertThat(Pipes.history(api, id)).contains("Degraded").doesNotContain("Failed");
            // the job replayed what it had read since its last checkpoint, twice over: each row is counted once
            Pipes.awaitCounts(api, id, Pipes.Counts.of(20_000, made.get()));
            api.delete("/v1/pipes/" + id);
        }
    }

    /**
     * A JobManager restarted without high availability knows no job and no jar: the controller finds the job gone,
     * uploads the jar again, and submits the job again from its newest checkpoint in the state directory.
     */
    @Test
    void aRestartedJobManagerLosesTheJobsAndTheControllerSubmitsThemAgainWithNothingLost(ClickHouseServer clickHouse)
        throws Exception {
        String db = database("jm_restart");
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 1_000);
        String id = Pipes.create(api, Pipes.request(db, emulator.connectionString(), clickHouse.url(), db, db,
            "orders", SETTINGS));
        Pipes.awaitState(api, id, "Running");
        String before = jobOf(api, id);
        new MixedWorkload(orders, 13, 1_000).run(100);
        Eventually.within(Pipes.TIMEOUT, () -> assertThat(directory.resolve("state/checkpoints/" + before))
            .isDirectoryContaining(path -> path.getFileName().toString().startsWith("chk-")));

        cluster.restartJobManager();
        new MixedWorkload(orders, 14, 2_000).run(100);

        Eventually.within(Pipes.TIMEOUT, () -> assertThat(jobOf(api, id)).isNotEqualTo(before));
        Pipes.awaitState(api, id, "Running");
        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        Eventually.within(Pipes.TIMEOUT, () -> assertThat(runningJobsOf(id)).containsExactly(jobOf(api, id)));
        assertThat(Pipes.history(api, id)).doesNotContain("Failed");
        api.delete("/v1/pipes/" + id);
    }

    @Test
    void pauseResumeAndResyncWorkThroughTheCluster(ClickHouseServer clickHouse) throws Exception {
        String db = database("session_actions");
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 500);
        String id = Pipes.create(api, Pipes.request(db, emulator.connectionString(), clickHouse.url(), db, db,
            "orders", SETTINGS));
        Pipes.awaitState(api, id, "Running");

        act(api, id, "pause");
        Pipes.awaitState(api, id, "Paused");
        assertThat(api.get("/v1/pipes/" + id).body().get("stateReason").asText())
            .contains(directory.resolve("state/savepoints").toString());
        new MixedWorkload(orders, 17, 500).run(100);
        act(api, id, "resume");
        Pipes.awaitState(api, id, "Running");
        act(api, id, "resync");
        Pipes.awaitState(api, id, "Running");
        new MixedWorkload(orders, 18, 1_000).run(50);

        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        assertThat(Pipes.history(api, id)).containsSubsequence("Pausing", "Paused", "Running", "Snapshot", "Resync",
            "Running");
        api.delete("/v1/pipes/" + id);
    }

    /**
     * Per TaskManager: its live threads and its loaded classes, after full garbage collections, once the loaded
     * classes stop falling (the classes of a job that just ended go with the collection after Flink releases them,
     * which may come after the first one).
     */
    private static Map<String, long[]> taskManagerFootprints() throws Exception {
        Map<String, long[]> footprints = footprintsAfterCollection();
        for (int round = 0; round < 3; round++) {
            Map<String, long[]> again = footprintsAfterCollection();
            boolean falling = again.keySet().stream().anyMatch(tm -> footprints.containsKey(tm)
                && again.get(tm)[1] < footprints.get(tm)[1]);
            footprints.putAll(again);
            if (!falling) {
                break;
            }
        }
        return footprints;
    }

    private static Map<String, long[]> footprintsAfterCollection() throws Exception {
        for (StandaloneFlinkCluster.TaskManager taskManager : cluster.taskManagers()) {
            collectGarbage(taskManager.process());
        }
        Thread.sleep(11_000);
        Map<String, long[]> footprints = new java.util.TreeMap<>();
        for (JsonNode taskManager : flink("taskmanagers").path("taskmanagers")) {
            String tm = taskManager.path("id").asText();
            long threads = 0;
            long loaded = 0;
            long unloaded = 0;
            for (JsonNode metric : flink("taskmanagers/" + tm + "/metrics?get=Status.JVM.Threads.Count,"
                + "Status.JVM.ClassLoader.ClassesLoaded,Status.JVM.ClassLoader.ClassesUnloaded")) {
                long value = metric.path("value").asLong();
                switch (metric.path("id").asText()) {
                    case "Status.JVM.Threads.Count" -> threads = value;
                    case "Status.JVM.ClassLoader.ClassesLoaded" -> loaded = value;
                    default -> unloaded = value;
                }
            }
            footprints.put(tm, new long[] {threads, loaded - unloaded});
        }
        return footprints;
    }

    private static void collectGarbage(ProcessHandle process) throws IOException, InterruptedException {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
            .redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        gc.waitFor();
    }

    /**
     * Twenty pauses and resumes start twenty jobs: the TaskManagers' live threads and loaded classes come back
     * near where they were with one job, as on a cluster that runs for weeks (a thread or a set of classes left
     * behind by each job would add up to hundreds of threads and tens of thousands of classes).
     */
    @Test
    void twentyPausesAndResumesLeaveNothingBehindInTheTaskManagers(ClickHouseServer clickHouse) throws Exception {
        String db = database("footprint");
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 100);
        String id = Pipes.create(api, Pipes.request(db, emulator.connectionString(), clickHouse.url(), db, db,
            "orders", SETTINGS));
        Pipes.awaitState(api, id, "Running");
        act(api, id, "pause");
        Pipes.awaitState(api, id, "Paused");
        act(api, id, "resume");
        Pipes.awaitState(api, id, "Running");
        Map<String, long[]> before = taskManagerFootprints();

        for (int cycle = 0; cycle < 20; cycle++) {
            act(api, id, "pause");
            Pipes.awaitState(api, id, "Paused");
            act(api, id, "resume");
            Pipes.awaitState(api, id, "Running");
        }
        Map<String, long[]> after = taskManagerFootprints();

        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String tm : before.keySet()) {
            assertThat(after.get(tm)[0]).as("live threads of " + tm).isLessThanOrEqualTo(before.get(tm)[0] + 10);
            assertThat(after.get(tm)[1]).as("loaded classes of " + tm).isLessThanOrEqualTo(before.get(tm)[1] + 2_500);
        }
        new MixedWorkload(orders, 21, 100).run(20);
        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        api.delete("/v1/pipes/" + id);
    }
}
