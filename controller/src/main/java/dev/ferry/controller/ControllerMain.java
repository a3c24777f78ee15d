package dev.ferry.controller;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/** {@code bin/ferry controller [--port 8080] [--data-dir DIR] [--flink-rest-port 8081]}. */
public final class ControllerMain {

    private static final String USAGE = """
        usage: ferry controller [--port 8080] [--data-dir DIR] [--flink-rest-port 8081]

          --port N             the REST API's port on 127.0.0.1 (default 8080)
          --data-dir DIR       pipe catalog, job specs, checkpoints and savepoints (default ./ferry-data)
          --flink-rest-port N  the embedded Flink cluster's REST API and dashboard (default 8081)
        """;

    private ControllerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 8080;
        int flinkPort = 8081;
        Path dataDir = Path.of("ferry-data");
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(value(args, ++i));
                    case "--data-dir" -> dataDir = Path.of(value(args, ++i));
                    case "--flink-rest-port" -> flinkPort = Integer.parseInt(value(args, ++i));
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
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
                home.resolve("flink-conf"), jobJar(home), 500));
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
            + dataDir.toAbsolutePath() + "); the Flink dashboard starts with the first pipe on http://127.0.0.1:"
            + flinkPort);
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

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
