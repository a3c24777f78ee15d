package dev.ferry.testkit.mongo;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/ferry mongo-emulator}: runs the replica-set emulator as its own process until it is stopped.
 */
@Command(name = "ferry mongo-emulator", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs the MongoDB replica-set emulator (5.0, or --server-version 7.0) on 127.0.0.1 (the tests "
        + "and the demo use it), or with --shards N a sharded cluster of such replica sets behind a router.")
public final class MongoEmulatorMain implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", description = "TCP port on 127.0.0.1; 0 picks a free one "
        + "(default ${DEFAULT-VALUE}).")
    int port = 27017;

    @Option(names = "--data-file", paramLabel = "F", description = "Keep data and change log in file F across "
        + "restarts (default: memory only).")
    Path dataFile;

    @Option(names = "--change-log-size", paramLabel = "N", description = "Change events kept for change streams; "
        + "resuming from an older position fails with ChangeStreamHistoryLost (286) (default ${DEFAULT-VALUE}).")
    long changeLogSize = ReplicaSetEmulator.DEFAULT_CHANGE_LOG_SIZE;

    @Option(names = "--server-version", paramLabel = "M.N", description = "The MongoDB version to report and "
        + "behave as: 5.0 (default) or 6.0 and newer, which keep post-images of changes.")
    String serverVersion = "5.0";

    @Option(names = "--replica-set", paramLabel = "NAME", description = "Replica set name (default "
        + "${DEFAULT-VALUE}).")
    String replicaSet = ReplicaSetEmulator.DEFAULT_REPLICA_SET_NAME;

    @Option(names = "--shards", paramLabel = "N", description = "Run a sharded cluster instead: a router (mongos) "
        + "on --port over N shards, each a replica set of its own on a free port, data in memory (default: a "
        + "replica set).")
    int shards;

    public static void main(String[] args) {
        int exit = new CommandLine(new MongoEmulatorMain()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if (shards > 0) {
            return runSharded();
        }
        ReplicaSetEmulator.Builder builder = ReplicaSetEmulator.builder().port(port).changeLogSize(changeLogSize)
            .replicaSetName(replicaSet).serverVersion(ServerVersion.parse(serverVersion));
        if (dataFile != null) {
            builder.dataFile(dataFile);
        }
        ReplicaSetEmulator emulator = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "mongo-emulator-shutdown"));
        System.out.println("MongoDB replica-set emulator listening: " + emulator.connectionString());
        stopped.await();
        return 0;
    }

    private int runSharded() throws InterruptedException {
        if (dataFile != null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--data-file is for a replica set; a "
                + "sharded cluster keeps its data in memory");
        }
        ShardedClusterEmulator cluster = ShardedClusterEmulator.builder().port(port).shards(shards)
            .changeLogSize(changeLogSize).serverVersion(ServerVersion.parse(serverVersion)).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "mongo-emulator-shutdown"));
        for (int i = 0; i < cluster.shardCount(); i++) {
            System.out.println("shard" + i + ": " + cluster.shardConnectionString(i));
        }
        System.out.println("MongoDB sharded cluster emulator listening: " + cluster.connectionString());
        stopped.await();
        return 0;
    }
}
