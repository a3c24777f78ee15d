package dev.ferry.testkit.mongo;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoServer;

/**
 * A MongoDB 5.0 single-member replica set for tests, served over TCP on 127.0.0.1: the official driver connects
 * to {@link #connectionString()} as it would to a real deployment. Data lives in memory, or in an MVStore file
 * when {@link Builder#dataFile(Path) a data file} is given, in which case data and change log survive a restart.
 */
public final class ReplicaSetEmulator implements AutoCloseable {

    public static final long DEFAULT_CHANGE_LOG_SIZE = 1_000_000;
    public static final String DEFAULT_REPLICA_SET_NAME = "rs0";

    /**
     * mongo-java-server answers every command on a Netty event-loop thread, and change-stream getMores wait there
     * for new events as mongod's awaitData does; with a thread per connection one waiting stream never delays
     * another connection's commands.
     */
    private static final int EVENT_LOOP_THREADS = 64;

    private final ReplicaSetBackend backend;
    private final MongoServer server;
    private final String replicaSetName;
    private final InetSocketAddress address;

    private ReplicaSetEmulator(Builder builder) {
        this.replicaSetName = builder.replicaSetName;
        if (builder.dataFile == null) {
            this.backend = new ReplicaSetBackend(replicaSetName, builder.version, new InMemoryChangeLogStore(),
                builder.changeLogSize, builder.noopInterval, builder.readLatencies, RecordingStorage.InMemory::new,
                builder.clusterClock);
        } else {
            MVStore store = new MVStore.Builder().fileName(builder.dataFile.toString()).open();
            this.backend = new ReplicaSetBackend(replicaSetName, builder.version, new MVStoreChangeLogStore(store),
                builder.changeLogSize, builder.noopInterval, builder.readLatencies,
                recorder -> new RecordingStorage.InFile(store, recorder), builder.clusterClock);
        }
        this.server = new MongoServer(backend);
        server.bind(new InetSocketAddress("127.0.0.1", builder.port), 1, EVENT_LOOP_THREADS);
        this.address = server.getLocalAddress();
        backend.advertise("127.0.0.1:" + address.getPort());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An in-memory emulator on a free port with the default change log size. */
    public static ReplicaSetEmulator start() {
        return builder().start();
    }

    public int port() {
        return address.getPort();
    }

    /** A connection string for the official driver, naming the replica set as a real deployment's would. */
    public String connectionString() {
        return "mongodb://127.0.0.1:" + port() + "/?replicaSet=" + replicaSetName;
    }

    /** The member's backend, which the router of a sharded cluster calls in-process. */
    ReplicaSetBackend backend() {
        return backend;
    }

    /** How many events the change log holds now. */
    public long changeLogSize() {
        return backend.changeLogSize();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    public static final class Builder {
        private int port;
        private Path dataFile;
        private long changeLogSize = DEFAULT_CHANGE_LOG_SIZE;
        private String replicaSetName = DEFAULT_REPLICA_SET_NAME;
        private Duration noopInterval = Duration.ofSeconds(10);
        private final Map<String, Duration> readLatencies = new HashMap<>();
        private ServerVersion version = ServerVersion.V5_0;
        private ClusterClock clusterClock = ClusterClock.system();

        private Builder() {
        }

        /** The clock of the cluster this replica set is a shard of: cluster times shared with the other shards. */
        Builder clusterClock(ClusterClock clock) {
            this.clusterClock = clock;
            return this;
        }

        /** The TCP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder dataFile(Path dataFile) {
            this.dataFile = dataFile;
            return this;
        }

        /** How many change events are kept before the oldest are dropped (and resuming before them fails). */
        public Builder changeLogSize(long changeLogSize) {
            if (changeLogSize < 1) {
                throw new IllegalArgumentException("the change log must keep at least one event");
            }
            this.changeLogSize = changeLogSize;
            return this;
        }

        /**
         * How long the change log may stay idle before the cluster time moves on by itself, like mongod's periodic
         * no-op writes ({@code periodicNoopIntervalSecs}, 10 s by default): an idle change stream's position moves.
         */
        public Builder noopInterval(Duration noopInterval) {
            if (noopInterval.toSeconds() < 1) {
                throw new IllegalArgumentException("the no-op interval is at least one second");
            }
            this.noopInterval = noopInterval;
            return this;
        }

        /**
         * Makes every find and getMore batch of the collection {@code namespace} ({@code db.collection}) take
         * {@code latency}, as on a busy or distant server: a snapshot of it then takes a while to load.
         */
        public Builder readLatency(String namespace, Duration latency) {
            readLatencies.put(namespace, latency);
            return this;
        }

        /** The MongoDB version the emulator reports and whose features it offers (default 5.0). */
        public Builder serverVersion(ServerVersion version) {
            this.version = version;
            return this;
        }

        public Builder replicaSetName(String replicaSetName) {
            this.replicaSetName = replicaSetName;
            return this;
        }

        public ReplicaSetEmulator start() {
            return new ReplicaSetEmulator(this);
        }
    }
}
