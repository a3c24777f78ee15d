package dev.ferry.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.bson.Document;
import org.bson.RawBsonDocument;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

import dev.ferry.testkit.clickhouse.ClickHouseHttp;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/bench}: for each size, a MongoDB emulator loaded with that many orders, a ClickHouse server and a
 * controller with its embedded Flink cluster, each its own process; ferry's figures printed next to the raw
 * baselines measured in the same run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Measures ferry against raw baselines of the same servers, in one run, and prints the ratios.")
public final class Bench implements Callable<Integer> {

    static final String DATABASE = "bench";
    static final String COLLECTION = "orders";

    @Option(names = "--docs", split = ",", defaultValue = "200000",
        description = "Sizes of the collection, each run on fresh servers (default ${DEFAULT-VALUE}), e.g. 200000,2000000")
    private List<Long> sizes;

    @Option(names = "--changes", defaultValue = "200000",
        description = "Changes made while the pipe is paused: half updates, half inserts (default ${DEFAULT-VALUE})")
    private long changes;

    @Option(names = "--writes-per-second", defaultValue = "200",
        description = "Write rate while latency is measured (default ${DEFAULT-VALUE})")
    private int writesPerSecond;

    @Option(names = "--latency-seconds", defaultValue = "30",
        description = "How long latency is measured (default ${DEFAULT-VALUE})")
    private int latencySeconds;

    @Option(names = "--readers", split = ",", defaultValue = "1,2,4",
        description = "snapshotParallelism values whose snapshot rate is measured against as many raw readers "
            + "(default ${DEFAULT-VALUE}; 0 skips)")
    private List<Integer> readers;

    @Option(names = "--controller-heap", defaultValue = "1g",
        description = "The controller's heap limit, as bin/ferry --heap takes it (default ${DEFAULT-VALUE})")
    private String controllerHeap;

    @Option(names = "--controller-java-opts", defaultValue = "",
        description = "JVM options for the controller, e.g. a JFR recording")
    private String controllerJavaOptions;

    @Option(names = "--json", description = "Also write the figures as JSON to this file")
    private Path json;

    @Option(names = "--work-dir", description = "Where logs and data go (default: a new temporary directory)")
    private Path workDirectory;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("ferry.home", "."));
        Path work = workDirectory != null ? Files.createDirectories(workDirectory)
            : Files.createTempDirectory("ferry-bench");
        List<SizeResult> results = new ArrayList<>();
        try (ClickHouseServer clickHouse = ClickHouseServer.start()) {
            for (long size : sizes) {
                SizeResult result = runSize(home, work.resolve(Long.toString(size)), clickHouse, size);
                System.out.println(Report.text(result));
                results.add(result);
            }
        }
        if (results.size() > 1) {
            System.out.println(Report.scaling(results));
        }
        if (json != null) {
            Files.writeString(json, Report.json(results));
        }
        System.out.println("logs: " + work);
        return 0;
    }

    private SizeResult runSize(Path home, Path work, ClickHouseServer clickHouseServer, long size) throws Exception {
        Files.createDirectories(work);
        ClickHouseHttp clickHouse = clickHouseServer.http();
        // one ClickHouse server serves every size: each starts without the tables of the one before
        for (List<String> database : clickHouse.rows("SELECT name FROM system.databases WHERE name LIKE 'bench%'")) {
            clickHouse.execute("DROP DATABASE IF EXISTS `" + database.get(0) + "`");
        }
        int mongoPort = freePort();
        // the emulator keeps the collection and its change log as Java objects: about 2 KB a document
        String emulatorHeap = (4 + size / 250_000) + "g";
        try (Launched emulator = Launched.start("mongo-emulator", home, List.of("mongo-emulator", "--port",
                 Integer.toString(mongoPort), "--change-log-size", Long.toString(changes + 100_000),
                 "--heap", emulatorHeap), Map.of(), work, "listening");
             MongoClient mongo = MongoClients.create("mongodb://127.0.0.1:" + mongoPort + "/?replicaSet=rs0")) {
            String mongoUri = "mongodb://127.0.0.1:" + mongoPort + "/?replicaSet=rs0";
            MongoDatabase source = mongo.getDatabase(DATABASE);
            MongoCollection<Document> orders = source.getCollection(COLLECTION);
            System.out.printf("loading %,d orders ...%n", size);
            long loadStart = System.nanoTime();
            Orders.load(orders, 0, size);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            double averageBytes = averageBsonSize(orders);

            System.out.println("raw baselines ...");
            double readRate = Baselines.readRate(orders);
            double insertRate = Baselines.insertRate(orders, clickHouse, "bench_raw");

            int apiPort = freePort();
            Map<String, String> environment = controllerJavaOptions.isBlank() ? Map.of()
                : Map.of("FERRY_JAVA_OPTS", controllerJavaOptions);
            Map<String, ProcessStats> processes = new LinkedHashMap<>();
            List<Figure> figures = new ArrayList<>();
            try (Launched controllerProcess = Launched.start("controller", home, List.of("controller", "--port",
                     Integer.toString(apiPort), "--flink-rest-port", Integer.toString(freePort()), "--data-dir",
                     work.resolve("controller").toString(), "--heap", controllerHeap), environment, work,
                 "listening on")) {
                ControllerClient controller = new ControllerClient("http://127.0.0.1:" + apiPort);
                PipeRuns runs = new PipeRuns(controller, clickHouse, clickHouseServer.url(), mongoUri, source);
                double rawMin = Math.min(readRate, insertRate);
                String rawName = "min(read, insert)";

                System.out.println("ferry: snapshot-only pipe ...");
                ProcessStats controllerBefore = controllerProcess.stats();
                ProcessStats emulatorBefore = emulator.stats();
                ProcessStats clickHouseBefore = ProcessStats.of(clickHouseServer.pid());
                PipeRuns.Load snapshot = runs.snapshot("snapshot", size);
                Map<String, ProcessStats> duringSnapshot = new LinkedHashMap<>();
                duringSnapshot.put("controller", controllerProcess.stats().since(controllerBefore));
                duringSnapshot.put("mongo-emulator", emulator.stats().since(emulatorBefore));
                duringSnapshot.put("clickhouse", ProcessStats.of(clickHouseServer.pid()).since(clickHouseBefore));
                figures.add(new Figure("snapshot rows/s, steady (snapshot mode)", snapshot.progress().steadyRate(),
                    "rows/s", rawName, rawMin, ">= 0.8"));
                figures.add(Figure.alone("create -> first row (cluster starting)", snapshot.progress().secondsToFirst(),
                    "s", ""));
                figures.add(new Figure("snapshot end to end (snapshot mode)",
                    size / snapshot.progress().secondsToDone(), "rows/s", rawName, rawMin, ""));
                figures.add(Figure.alone("controller peak RSS after the snapshot",
                    controllerProcess.stats().peakRssBytes() / 1048576.0, "MiB", "<= 1536 MiB"));

                Files.writeString(work.resolve("history-snapshot.json"), runs.history(snapshot.pipeId()));
                System.out.println("ferry: cdc pipe ...");
                PipeRuns.Load cdc = runs.snapshot("cdc", size);
                figures.add(Figure.alone("create -> first row (cluster running)", cdc.progress().secondsToFirst(), "s",
                    "<= 5 s"));
                figures.add(new Figure("snapshot rows/s, steady (cdc mode)", cdc.progress().steadyRate(), "rows/s",
                    rawName, rawMin, ">= 0.8"));
                figures.add(new Figure("snapshot end to end (cdc mode)", size / cdc.progress().secondsToDone(),
                    "rows/s", rawName, rawMin, ""));

                System.out.printf("ferry: catch-up after a pause (%,d changes) ...%n", changes);
                PipeRuns.CatchUp catchUp = runs.catchUp(cdc, size, changes);
                figures.add(new Figure("catch-up events/s, steady", catchUp.progress().steadyRate(), "events/s",
                    "raw change stream", catchUp.rawEventsPerSecond(), ">= 1.0"));
                figures.add(new Figure("catch-up from resume to the last change", changes
                    / catchUp.progress().secondsToDone(), "events/s", "raw change stream",
                    catchUp.rawEventsPerSecond(), ""));

                System.out.printf("ferry: latency at %d writes/s for %d s ...%n", writesPerSecond, latencySeconds);
                List<Double> latencies = runs.latencies(cdc, writesPerSecond, latencySeconds);
                for (double percentile : new double[] {0.5, 0.95, 0.99}) {
                    figures.add(Figure.alone(String.format("latency p%.0f, syncIntervalSeconds=1", percentile * 100),
                        percentile(latencies, percentile) / 1000, "s", percentile == 0.99 ? "<= 2 s" : ""));
                }
                figures.add(Figure.alone("latency max", latencies.get(latencies.size() - 1) / 1000, "s", ""));

                Files.writeString(work.resolve("history-cdc.json"), runs.history(cdc.pipeId()));
                for (int count : readers) {
                    if (count <= 0) {
                        continue;
                    }
                    System.out.printf("ferry: snapshot with %d readers against %d raw readers ...%n", count, count);
                    double raw = Baselines.parallelReadRate(orders, count);
                    // the collection has grown by the changes and the writes since the first snapshot
                    PipeRuns.Load load = runs.snapshot("snapshot", orders.countDocuments(), count);
                    figures.add(new Figure(String.format("snapshot rows/s, %d readers", count),
                        load.progress().steadyRate(), "rows/s", count + " raw readers", raw, ""));
                }
                processes.put("controller", controllerProcess.stats());
                processes.put("mongo-emulator", emulator.stats());
                processes.put("clickhouse", ProcessStats.of(clickHouseServer.pid()));
                return new SizeResult(size, averageBytes, loadSeconds, readRate, insertRate, figures, processes,
                    duringSnapshot);
            }
        }
    }

    private static double averageBsonSize(MongoCollection<Document> orders) {
        long bytes = 0;
        int count = 0;
        for (RawBsonDocument document : orders.withDocumentClass(RawBsonDocument.class).find().limit(1_000)) {
            bytes += document.getByteBuffer().remaining();
            count++;
        }
        return count == 0 ? 0 : (double) bytes / count;
    }

    private static double percentile(List<Double> sorted, double percentile) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(percentile * sorted.size()) - 1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
