package dev.ferry.testkit.mongo;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/ferry mongo-emulator}: runs the replica-set emulator as its own process until it is stopped.
 */
public final class MongoEmulatorMain {

    private static final String USAGE = """
        usage: ferry mongo-emulator [--port N] [--data-file F] [--change-log-size N] [--replica-set NAME]

          --port N             TCP port on 127.0.0.1 (default 27017; 0 picks a free one)
          --data-file F        keep data and change log in file F across restarts (default: memory only)
          --change-log-size N  change events kept for change streams (default %d); resuming from an
                               older position fails with ChangeStreamHistoryLost (286)
          --replica-set NAME   replica set name (default %s)
        """.formatted(ReplicaSetEmulator.DEFAULT_CHANGE_LOG_SIZE, ReplicaSetEmulator.DEFAULT_REPLICA_SET_NAME);

    private MongoEmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ReplicaSetEmulator.Builder builder = ReplicaSetEmulator.builder().port(27017);
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> builder.port(Integer.parseInt(value(args, ++i, "--port")));
                    case "--data-file" -> builder.dataFile(Path.of(value(args, ++i, "--data-file")));
                    case "--change-log-size" -> builder.changeLogSize(Long.parseLong(value(args, ++i, "--change-log-size")));
                    case "--replica-set" -> builder.replicaSetName(value(args, ++i, "--replica-set"));
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("ferry mongo-emulator: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
        ReplicaSetEmulator emulator = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "mongo-emulator-shutdown"));
        System.out.println("MongoDB replica-set emulator listening: " + emulator.connectionString());
        stopped.await();
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
