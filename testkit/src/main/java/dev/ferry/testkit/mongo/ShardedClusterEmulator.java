package dev.ferry.testkit.mongo;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.MongoServer;

/**
 * A MongoDB 5.0 sharded cluster for tests: a router on 127.0.0.1 that answers as {@code mongos}
 * ({@link RouterBackend}) over N shards, each a {@link ReplicaSetEmulator} of its own (reachable directly too, as a
 * shard's replica set is), sharing one cluster clock. The official driver connects to {@link #connectionString()}
 * as to a real sharded cluster. A shard can be made unreachable through the router ({@link #stopShard}) and
 * reachable again, with its data kept.
 */
public final class ShardedClusterEmulator implements AutoCloseable {

    private static final int EVENT_LOOP_THREADS = 64;

    private final List<ReplicaSetEmulator> shards = new ArrayList<>();
    private final RouterBackend router;
    private final MongoServer server;
    private final InetSocketAddress address;

    private ShardedClusterEmulator(Builder builder) {
        ClusterClock clock = ClusterClock.system();
        List<String> names = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < builder.shards; i++) {
            String name = "shard" + i;
            ReplicaSetEmulator shard = ReplicaSetEmulator.builder().replicaSetName(name).clusterClock(clock)
                .noopInterval(builder.noopInterval).changeLogSize(builder.changeLogSize)
                .serverVersion(builder.version).start();
            shards.add(shard);
            names.add(name);
            hosts.add(name + "/127.0.0.1:" + shard.port());
        }
        this.router = new RouterBackend(shards, clock, new ShardingCatalog(names, hosts), builder.version);
        this.server = new MongoServer(router);
        server.bind(new InetSocketAddress("127.0.0.1", builder.port), 1, EVENT_LOOP_THREADS);
        this.address = server.getLocalAddress();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Two shards on free ports, the router on a free port. */
    public static ShardedClusterEmulator start() {
        return builder().start();
    }

    public int port() {
        return address.getPort();
    }

    /** A connection string for the official driver: the router, as to a real cluster's mongos. */
    public String connectionString() {
        return "mongodb://127.0.0.1:" + port() + "/";
    }

    public int shardCount() {
        return shards.size();
    }

    /** The connection string of shard {@code index}'s own replica set, to look at what it holds. */
    public String shardConnectionString(int index) {
        return shards.get(index).connectionString();
    }

    /** Makes the shard unreachable through the router, as a shard whose members are all down. */
    public void stopShard(int index) {
        router.setDown(index, true);
    }

    /** Makes the shard reachable again, with what it held. */
    public void startShard(int index) {
        router.setDown(index, false);
    }

    @Override
    public void close() {
        server.shutdownNow();
        shards.forEach(ReplicaSetEmulator::close);
    }

    public static final class Builder {
        private int port;
        private int shards = 2;
        private Duration noopInterval = Duration.ofSeconds(10);
        private long changeLogSize = ReplicaSetEmulator.DEFAULT_CHANGE_LOG_SIZE;
        private ServerVersion version = ServerVersion.V5_0;

        private Builder() {
        }

        /** The router's TCP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder shards(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("a sharded cluster has at least one shard");
            }
            this.shards = count;
            return this;
        }

        /** How long a shard may stay idle before its cluster time moves on by itself (mongod's no-op writer). */
        public Builder noopInterval(Duration interval) {
            this.noopInterval = interval;
            return this;
        }

        public Builder changeLogSize(long size) {
            this.changeLogSize = size;
            return this;
        }

        public Builder serverVersion(ServerVersion version) {
            this.version = version;
            return this;
        }

        public ShardedClusterEmulator start() {
            return new ShardedClusterEmulator(this);
        }
    }
}
