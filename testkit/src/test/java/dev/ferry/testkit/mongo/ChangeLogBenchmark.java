package dev.ferry.testkit.mongo;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * Not a test: measures the emulator against raw mongo-java-server in the same run and prints the ratios.
 * <ol>
 * <li>Inserts through the official driver: the emulator (recording every change) against mongo-java-server
 * with no oplog.</li>
 * <li>Reading the newest 100 change events from a log of 10,000 and of 500,000 events: the cost must not grow with
 * the size of the log (O(log n + k)).</li>
 * <li>Updates by {@code _id}, each recorded with the document after it: on a collection of 20,000 and of 200,000
 * documents, against mongo-java-server with no oplog; the emulator finds a document through the {@code _id} index,
 * so the rate must not fall with the size of the collection.</li>
 * </ol>
 * Run with {@code bin/bench-emulator}.
 */
public final class ChangeLogBenchmark {

    private static final int INSERTS = 20_000;
    private static final int BATCH = 100;

    public static void main(String[] args) {
        insertThroughput();
        readCostAgainstLogSize();
        updateRateAgainstCollectionSize();
    }

    private static void insertThroughput() {
        MongoServer raw = new MongoServer(new MemoryBackend());
        InetSocketAddress rawAddress = raw.bind();
        double rawRate;
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + rawAddress.getPort())) {
            rawRate = insertRate(client.getDatabase("bench").getCollection("raw"));
        } finally {
            raw.shutdownNow();
        }
        double emulatorRate;
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.start();
             MongoClient client = MongoClients.create(emulator.connectionString())) {
            emulatorRate = insertRate(client.getDatabase("bench").getCollection("emulated"));
        }
        System.out.printf("inserts/s   raw mongo-java-server (no oplog): %,10.0f%n", rawRate);
        System.out.printf("inserts/s   emulator (change log on):         %,10.0f%n", emulatorRate);
        System.out.printf("ratio emulator/raw: %.2f%n%n", emulatorRate / rawRate);
    }

    private static double insertRate(MongoCollection<Document> collection) {
        insertAll(collection, 0, 2_000);
        long start = System.nanoTime();
        insertAll(collection, 2_000, 2_000 + INSERTS);
        return INSERTS / ((System.nanoTime() - start) / 1e9);
    }

    private static void insertAll(MongoCollection<Document> collection, int from, int to) {
        for (int i = from; i < to; i += BATCH) {
            List<Document> batch = new ArrayList<>(BATCH);
            for (int j = i; j < Math.min(to, i + BATCH); j++) {
                batch.add(new Document("_id", j).append("name", "item-" + j).append("qty", j % 17));
            }
            collection.insertMany(batch);
        }
    }

    private static void updateRateAgainstCollectionSize() {
        for (int size : new int[] {20_000, 200_000}) {
            MongoServer raw = new MongoServer(new MemoryBackend());
            InetSocketAddress rawAddress = raw.bind();
            double rawRate;
            try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + rawAddress.getPort())) {
                rawRate = updateRate(client.getDatabase("bench").getCollection("raw"), size);
            } finally {
                raw.shutdownNow();
            }
            double emulatorRate;
            try (ReplicaSetEmulator emulator = ReplicaSetEmulator.start();
                 MongoClient client = MongoClients.create(emulator.connectionString())) {
                emulatorRate = updateRate(client.getDatabase("bench").getCollection("emulated"), size);
            }
            System.out.printf("updates/s by _id, %,7d documents: raw %,8.0f  emulator %,8.0f  ratio %.2f%n",
                size, rawRate, emulatorRate, emulatorRate / rawRate);
        }
        System.out.println();
    }

    private static double updateRate(MongoCollection<Document> collection, int size) {
        insertAll(collection, 0, size);
        int updates = 5_000;
        long start = System.nanoTime();
        for (int i = 0; i < updates; i++) {
            int id = (int) ((i * 7919L) % size);
            collection.updateOne(new Document("_id", id), new Document("$inc", new Document("qty", 1)));
        }
        return updates / ((System.nanoTime() - start) / 1e9);
    }

    private static void readCostAgainstLogSize() {
        double small = microsToReadNewest(10_000);
        double large = microsToReadNewest(500_000);
        System.out.printf("read newest 100 events, log of  10,000: %8.1f us%n", small);
        System.out.printf("read newest 100 events, log of 500,000: %8.1f us%n", large);
        System.out.printf("ratio large/small: %.2f (a scan of the whole log would be about 50)%n", large / small);
    }

    private static double microsToReadNewest(int logSize) {
        ChangeLog log = new ChangeLog(new InMemoryChangeLogStore(), logSize, 10, new ClusterClock(Clock.systemUTC()));
        Namespace ns = new Namespace("bench", "c");
        List<ChangeEvent> appended = new ArrayList<>();
        for (int i = 0; i < logSize; i++) {
            ChangeEvent event = log.append(ChangeEvent.Draft.of(OperationType.INSERT, ns, i,
                new de.bwaldvogel.mongo.bson.Document("_id", i)));
            if (i == logSize - 101) {
                appended.add(event);
            }
        }
        ChangeLogPosition from = appended.get(0).position();
        int rounds = 2_000;
        for (int i = 0; i < rounds; i++) {
            log.read(from, 1000);
        }
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            if (log.read(from, 1000).events().size() != 100) {
                throw new IllegalStateException("expected the newest 100 events");
            }
        }
        return (System.nanoTime() - start) / 1e3 / rounds;
    }
}
