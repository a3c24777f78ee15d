package dev.ferry.testkit.mongo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/** Contract tests of features by server version: an emulator reporting MongoDB 7.0 and one reporting 5.0. */
abstract class SevenAndFive {

    static ReplicaSetEmulator seven;
    static ReplicaSetEmulator five;
    /** A client of the 7.0 server. */
    static MongoClient client;
    /** A client of the 5.0 server. */
    static MongoClient oldClient;

    @BeforeAll
    static void start() {
        seven = ReplicaSetEmulator.builder().port(0).serverVersion(ServerVersion.V7_0).start();
        five = ReplicaSetEmulator.builder().port(0).start();
        client = MongoClients.create(seven.connectionString());
        oldClient = MongoClients.create(five.connectionString());
    }

    @AfterAll
    static void stop() {
        client.close();
        oldClient.close();
        seven.close();
        five.close();
    }
}
