package dev.ferry.controller.flink.standalone;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/ferry flink-cluster [--rest-port 8081] [--taskmanagers 2] [--slots 4] [--state-dir DIR]}: a standalone
 * Flink session cluster on this machine, to point a controller at with {@code --flink-url}; Ctrl-C stops it.
 */
@Command(name = "ferry flink-cluster", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs a standalone Flink session cluster on 127.0.0.1: a JobManager and TaskManagers, each its own "
        + "JVM; Ctrl-C stops it.")
public final class FlinkClusterMain implements Callable<Integer> {

    @Option(names = "--rest-port", paramLabel = "N", description = "The JobManager's REST API and dashboard on "
        + "127.0.0.1 (default ${DEFAULT-VALUE}).")
    int restPort = 8081;

    @Option(names = "--taskmanagers", paramLabel = "N", description = "How many TaskManagers, each a JVM of its own "
        + "(default ${DEFAULT-VALUE}).")
    int taskManagers = 2;

    @Option(names = "--slots", paramLabel = "N", description = "Task slots per TaskManager (default "
        + "${DEFAULT-VALUE}).")
    int slots = 4;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where checkpoints and savepoints go (default "
        + "${DEFAULT-VALUE}); give the controller the same directory: --state-dir file://DIR")
    Path stateDir = Path.of("ferry-flink", "state");

    public static void main(String[] args) {
        int exit = new CommandLine(new FlinkClusterMain()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("ferry.home", "."));
        Files.createDirectories(stateDir);
        Path work = Files.createTempDirectory("ferry-flink-cluster-");
        StandaloneFlinkCluster cluster;
        try {
            cluster = StandaloneFlinkCluster.start(new StandaloneFlinkCluster.Options(restPort, taskManagers, slots,
                stateDir.toAbsolutePath().toUri().toString(), home.resolve("flink-conf"), flinkLib(home), work,
                Map.of()));
        } catch (RuntimeException e) {
            System.err.println("ferry flink-cluster: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "ferry-flink-cluster-shutdown"));
        System.out.println("Flink session cluster ready: " + cluster.restUrl() + " (" + taskManagers
            + " TaskManagers with " + slots + " slots; state in " + stateDir.toAbsolutePath().toUri() + "; logs in "
            + cluster.logDirectory() + ")");
        System.out.println("point a controller at it: bin/ferry controller --flink-url " + cluster.restUrl()
            + " --state-dir " + stateDir.toAbsolutePath().toUri());
        stopped.await();
        return 0;
    }

    /** The jars the build gathers for a session cluster: Flink, what it needs, and the MongoDB driver. */
    public static Path flinkLib(Path home) {
        return home.resolve("controller/target/flink-lib");
    }
}
