package dev.ferry.testkit.mongo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/** One in-memory emulator and one driver client for all the tests of a contract test class. */
abstract class EmulatorContract {

    static ReplicaSetEmulator emulator;
    static MongoClient client;

    @BeforeAll
    static void startEmulatorAndClient() {
        emulator = ReplicaSetEmulator.start();
        client = MongoClients.create(emulator.connectionString());
    }

    @AfterAll
    static void stopEmulatorAndClient() {
        client.close();
        emulator.close();
    }
}
