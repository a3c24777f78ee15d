package dev.ferry.controller;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code bin/ferry controller [--port 8080] [--data-dir DIR] [--flink-rest-port 8081] [--flink-url URL
 * --state-dir URI]}.
 */
public final class ControllerMain {

    private static final String USAGE = """
        usage: ferry controller [--port 8080] [--data-dir DIR] [--flink-rest-port 8081]
                                [--flink-url URL --state-dir URI]

          --port N             the REST API's port on 127.0.0.1 (default 8080)
          --data-dir DIR       pipe catalog (and, with the embedded cluster, job specs, checkpoints and
                               savepoints) (default ./ferry-data)
          --flink-rest-port N  the embedded Flink cluster's REST API and dashboard (default 8081)
          --flink-url URL      drive this Flink session cluster (its REST API, e.g. http://flink:8081) instead
                               of the embedded one; its jobs go on while the controller is down
          --state-dir URI      where checkpoints, savepoints and job specs live: storage the controller, the
                               JobManager and every TaskManager reach (file:///shared/ferry, s3://bucket/ferry,
                               hdfs://...); required with --flink-url (default: the data directory)
        """;

    private ControllerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 8080;
        int flinkPort = 8081;
        Path dataDir = Path.of("ferry-data");
        URL flinkUrl = null;
        String stateDir = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(value(args, ++i));
                    case "--data-dir" -> dataDir = Path.of(value(args, ++i));
                    case "--flink-rest-port" -> flinkPort = Integer.parseInt(value(args, ++i));
                    case "--flink-url" -> flinkUrl = url(value(args, ++i));
                    case "--state-dir" -> stateDir = value(args, ++i);
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (flinkUrl != null && stateDir == null) {
                throw new IllegalArgumentException("--flink-url needs --state-dir: storage the session cluster's "
                    + "JobManager and TaskManagers reach as well as the controller");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("ferry controller: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
        Path home = Path.of(System.getProperty("ferry.home", "."));
        Controller controller;
        try {
            controller = Controller.start(new Controller.Settings(port, dataDir, flinkPort,
                home.resolve("flink-conf"), jobJar(home), 500, flinkUrl, stateDir));
        } catch (IllegalStateException | java.io.IOException e) {
            System.err.println("ferry controller: " + e.getMessage());
            System.exit(1);
            return;
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
    }

    /** The job jar the build puts in job/target. */
    public static Path jobJar(Path home) throws java.io.IOException {
        Path target = home.resolve("job/target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                return files.filter(f -> f.getFileName().toString().endsWith("-flink.jar")).findFirst()
                    .orElse(target.resolve("ferry-job-flink.jar"));
            }
        }
        return target.resolve("ferry-job-flink.jar");
    }

    private static URL url(String text) {
        try {
            return new URL(text);
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException("--flink-url: '" + text + "' is not a URL; expected http://HOST:PORT");
        }
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
