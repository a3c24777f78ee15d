package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.CountedWorkload;
import dev.ferry.common.Eventually;
import dev.ferry.common.MixedWorkload;
import dev.ferry.common.Replicas;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;

/**
 * {@code bin/ferry controller} killed with SIGKILL in the middle of a snapshot, or of a pause, then started again:
 * it finishes what was in flight and nothing is lost.
 */
@ExtendWith(ClickHouseExtension.class)
class ControllerKilledIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path dataDirectory;

    /** Runs {@code steps} against a controller process on {@code port}, then kills it with SIGKILL. */
    private <T> T killedAfter(int port, Callable<T> steps) throws Exception {
        ControllerProcess controller = ControllerProcess.start(port, dataDirectory, "--flink-rest-port",
            Integer.toString(TestControllers.freePort()));
        try {
            return steps.call();
        } finally {
            controller.kill();
        }
    }

    /** Runs {@code steps} against a controller process on {@code port}, then stops it as a user would. */
    private void stoppedAfter(int port, Callable<?> steps) throws Exception {
        try (ControllerProcess controller = ControllerProcess.start(port, dataDirectory, "--flink-rest-port",
            Integer.toString(TestControllers.freePort()))) {
            steps.call();
        }
    }

    @Test
    void aControllerKilledDuringASnapshotFinishesThePipeAfterARestart(ClickHouseServer clickHouse) throws Exception {
        String db = "killed_" + UUID.randomUUID().toString().substring(0, 8);
        int port = TestControllers.freePort();
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.start();
             MongoClient mongo = MongoClients.create(emulator.connectionString())) {
            MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
            MixedWorkload.insertInitial(orders, 20_000);
            RestApi api = new RestApi("http://127.0.0.1:" + port);

            String id = killedAfter(port, () -> {
                String created = Pipes.create(api, Pipes.request("killed", emulator.connectionString(),
                    clickHouse.url(), db, db, "orders", "{\"syncIntervalSeconds\": 1}"));
                Pipes.awaitState(api, created, "Snapshot");
                return created;
            });
            new MixedWorkload(orders, 41, 20_000).run(200);

            stoppedAfter(port, () -> {
                Pipes.awaitState(api, id, "Running");
                Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));
                return null;
            });
        }
    }

    @Test
    void aControllerKilledDuringAPauseFinishesThePauseAfterARestart(ClickHouseServer clickHouse) throws Exception {
        String db = "killed_pausing_" + UUID.randomUUID().toString().substring(0, 8);
        int port = TestControllers.freePort();
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.start();
             MongoClient mongo = MongoClients.create(emulator.connectionString())) {
            MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
            MixedWorkload.insertInitial(orders, 1_000);
            RestApi api = new RestApi("http://127.0.0.1:" + port);

            String id = killedAfter(port, () -> {
                String created = Pipes.create(api, Pipes.request("killed-pausing", emulator.connectionString(),
                    clickHouse.url(), db, db, "orders", "{\"syncIntervalSeconds\": 1}"));
                Pipes.awaitState(api, created, "Running");
                new MixedWorkload(orders, 43, 1_000).run(100);
                // a checkpoint after these writes, to resume from when the savepoint is lost with the cluster
                Thread.sleep(11_000);
                RestApi.Reply pause = api.patch("/v1/pipes/" + created + "/state", "{\"action\": \"pause\"}");
                assertThat(pause.status()).as(pause.body().toString()).isEqualTo(202);
                return created;
            });
            new MixedWorkload(orders, 47, 5_000).run(100);

            stoppedAfter(port, () -> {
                Pipes.awaitState(api, id, "Paused");
                RestApi.Reply resume = api.patch("/v1/pipes/" + id + "/state", "{\"action\": \"resume\"}");
                assertThat(resume.status()).as(resume.body().toString()).isEqualTo(202);
                Pipes.awaitState(api, id, "Running");
                Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));
                return null;
            });
        }
    }

    @Test
    void aControllerKilledWhileChangesStreamCountsEachChangeOnceAfterItsJobReplaysFromItsCheckpoint(
        ClickHouseServer clickHouse) throws Exception {
        String db = "killed_counts_" + UUID.randomUUID().toString().substring(0, 8);
        int port = TestControllers.freePort();
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.start();
             MongoClient mongo = MongoClients.create(emulator.connectionString())) {
            MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
            MixedWorkload.insertInitial(orders, 1_000);
            RestApi api = new RestApi("http://127.0.0.1:" + port);
            CountedWorkload workload = new CountedWorkload(orders, 53, 1_000);
            AtomicReference<CountedWorkload.Counts> made = new AtomicReference<>(CountedWorkload.Counts.NONE);

            String id = killedAfter(port, () -> {
                String created = Pipes.create(api, Pipes.request("killed-counts", emulator.connectionString(),
                    clickHouse.url(), db, db, "orders", "{\"syncIntervalSeconds\": 1}"));
                Pipes.awaitState(api, created, "Running");
                made.set(workload.run(100, 100, 30, 30));
                Pipes.awaitCounts(api, created, Pipes.Counts.of(1_000, made.get()));
                // killed while the job has changes read since its last checkpoint, which it replays after the restart
                made.set(made.get().plus(workload.run(60, 60, 20, 20)));
                return created;
            });
            made.set(made.get().plus(workload.run(40, 40, 10, 10)));

            stoppedAfter(port, () -> {
                Pipes.awaitState(api, id, "Running");
                Eventually.within(TIMEOUT, () -> Replicas.assertTableEquals(clickHouse, db, "orders", orders));
                Pipes.awaitCounts(api, id, Pipes.Counts.of(1_000, made.get()));
                return null;
            });
        }
    }
}
