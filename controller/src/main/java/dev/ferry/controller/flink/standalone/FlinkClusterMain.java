package dev.ferry.controller.flink.standalone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/ferry flink-cluster [--rest-port 8081] [--taskmanagers 2] [--slots 4] [--state-dir DIR]}: a standalone
 * Flink session cluster on this machine, to point a controller at with {@code --flink-url}; Ctrl-C stops it.
 */
public final class FlinkClusterMain {

    private static final String USAGE = """
        usage: ferry flink-cluster [--rest-port 8081] [--taskmanagers 2] [--slots 4] [--state-dir DIR]

          --rest-port N      the JobManager's REST API and dashboard on 127.0.0.1 (default 8081)
          --taskmanagers N   how many TaskManagers, each a JVM of its own (default 2)
          --slots N          task slots per TaskManager (default 4)
          --state-dir DIR    where checkpoints and savepoints go (default ./ferry-flink/state); give the
                             controller the same directory: --state-dir file://DIR
        """;

    private FlinkClusterMain() {
    }

    public static void main(String[] args) throws Exception {
        int restPort = 8081;
        int taskManagers = 2;
        int slots = 4;
        Path stateDir = Path.of("ferry-flink", "state");
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--rest-port" -> restPort = Integer.parseInt(value(args, ++i));
                    case "--taskmanagers" -> taskManagers = Integer.parseInt(value(args, ++i));
                    case "--slots" -> slots = Integer.parseInt(value(args, ++i));
                    case "--state-dir" -> stateDir = Path.of(value(args, ++i));
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("ferry flink-cluster: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
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
            System.exit(1);
            return;
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
    }

    /** The jars the build gathers for a session cluster: Flink, what it needs, and the MongoDB driver. */
    public static Path flinkLib(Path home) {
        return home.resolve("controller/target/flink-lib");
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
