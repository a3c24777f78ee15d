package dev.ferry.controller;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;

/**
 * One MongoDB emulator (over TCP) and one controller (with the packaged job jar and flink-conf/) for all the tests
 * of a class; ClickHouse comes from {@code ClickHouseExtension}.
 */
abstract class WithController {

    @TempDir
    static Path dataDirectory;
    static ReplicaSetEmulator emulator;
    static MongoClient mongo;
    static Controller controller;
    static RestApi api;

    @BeforeAll
    static void startMongoAndController() throws Exception {
        emulator = ReplicaSetEmulator.start();
        mongo = MongoClients.create(emulator.connectionString());
        controller = TestControllers.start(dataDirectory);
        api = new RestApi(controller.url());
    }

    @AfterAll
    static void stopMongoAndController() throws Exception {
        controller.close();
        mongo.close();
        emulator.close();
    }


    /**
     * Creates a pipe named {@code db} from the emulator's {@code db.collection} into ClickHouse's {@code db},
     * with {@code settings}, and waits until it is Running; returns its id.
     */
    static String runningPipe(ClickHouseServer clickHouse, String db, String collection, String settings) {
        String id = Pipes.create(api, Pipes.request(db, emulator.connectionString(), clickHouse.url(), db, db,
            collection, settings));
        Pipes.awaitState(api, id, "Running");
        return id;
    }
}
