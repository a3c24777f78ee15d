package dev.ferry.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.bson.BsonTimestamp;
import org.bson.Document;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;

import dev.ferry.common.Versions;
import dev.ferry.testkit.clickhouse.ClickHouseHttp;

/** ferry's side of the figures: pipes created, paused, resumed and written to, watched through ClickHouse. */
final class PipeRuns {

    private static final long TIMEOUT_SECONDS = 3_600;
    private static final long LATENCY_POLL_MILLIS = 50;

    private final ControllerClient controller;
    private final ClickHouseHttp clickHouse;
    private final String clickHouseUrl;
    private final String mongoUri;
    private final MongoDatabase source;

    PipeRuns(ControllerClient controller, ClickHouseHttp clickHouse, String clickHouseUrl, String mongoUri,
             MongoDatabase source) {
        this.controller = controller;
        this.clickHouse = clickHouse;
        this.clickHouseUrl = clickHouseUrl;
        this.mongoUri = mongoUri;
        this.source = source;
    }

    /** A pipe's snapshot of {@code documents} from its creation until its final state, and the pipe's id. */
    record Load(String pipeId, Destination destination, Progress progress) {
    }

    /** The pipe's history of states, as the controller answers it (kept with the logs). */
    String history(String pipeId) {
        return controller.history(pipeId);
    }

    Load snapshot(String mode, long documents) throws InterruptedException {
        return snapshot(mode, documents, 0);
    }

    /** The same with {@code readers} snapshot readers (0: the default), into a database of its own. */
    Load snapshot(String mode, long documents, int readers) throws InterruptedException {
        String name = readers == 0 ? mode : mode + "_" + readers + "_readers";
        String database = "bench_" + name;
        Destination destination = new Destination(clickHouse, database, Bench.COLLECTION);
        long start = System.nanoTime();
        String id = controller.createPipe("bench-" + name.replace('_', '-'), mongoUri, clickHouseUrl, database,
            Bench.COLLECTION, mode, readers, documents);
        Progress progress = Progress.watch(start, documents, destination::rows, TIMEOUT_SECONDS);
        controller.awaitState(id, mode.equals("snapshot") ? "Completed" : "Running", Duration.ofMinutes(10));
        return new Load(id, destination, progress);
    }

    /** Changes made while a pipe is paused, and how it catches up with them once resumed. */
    record CatchUp(double rawEventsPerSecond, Progress progress) {
    }

    /**
     * Pauses the pipe, makes {@code changes} changes (half updates of existing orders, half new orders), reads them
     * with a raw change stream, resumes the pipe and watches their rows arrive.
     */
    CatchUp catchUp(Load load, long documents, long changes) throws InterruptedException {
        controller.act(load.pipeId(), "pause");
        controller.awaitState(load.pipeId(), "Paused", Duration.ofMinutes(5));
        MongoCollection<Document> orders = source.getCollection(Bench.COLLECTION);
        BsonTimestamp before = operationTime();
        long updates = Math.min(changes / 2, documents);
        Orders.touch(orders, 0, updates);
        Orders.load(orders, documents, documents + (changes - updates));
        double raw = Baselines.changeStreamRate(orders, before, changes);
        long after = Versions.of(Integer.toUnsignedLong(before.getTime()), Integer.toUnsignedLong(before.getInc()),
            Long.MAX_VALUE);
        long start = System.nanoTime();
        controller.act(load.pipeId(), "resume");
        Progress progress = Progress.watch(start, changes, () -> load.destination().rowsAbove(after), TIMEOUT_SECONDS);
        return new CatchUp(raw, progress);
    }

    /**
     * Milliseconds from each write's acknowledgement to its row's arrival in ClickHouse, for {@code seconds} of
     * inserts at {@code perSecond}, with the pipe's sync interval at one second. Polled every 50 ms.
     */
    List<Double> latencies(Load load, int perSecond, int seconds) throws InterruptedException {
        controller.syncInterval(load.pipeId(), 1);
        controller.awaitState(load.pipeId(), "Running", Duration.ofMinutes(5));
        MongoCollection<Document> orders = source.getCollection(Bench.COLLECTION);
        Map<String, Long> written = new ConcurrentHashMap<>();
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread poller = new Thread(() -> pollArrivals(load.destination(), arrived, writing, written));
        poller.start();
        long intervalNanos = 1_000_000_000L / perSecond;
        long begin = System.nanoTime();
        int total = perSecond * seconds;
        for (int k = 0; k < total; k++) {
            long due = begin + k * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String id = String.format("latency-%07d", k);
            orders.insertOne(Orders.order(10_000_000L + k).append("_id", id));
            written.put(id, System.nanoTime());
        }
        writing.set(false);
        poller.join(Duration.ofMinutes(2).toMillis());
        List<Double> millis = new ArrayList<>();
        written.forEach((id, at) -> {
            Long seen = arrived.get(id);
            millis.add(seen == null ? Double.POSITIVE_INFINITY : Math.max(0, seen - at) / 1e6);
        });
        millis.sort(Double::compare);
        return millis;
    }

    private static void pollArrivals(Destination destination, Map<String, Long> arrived, AtomicBoolean writing,
                                     Map<String, Long> written) {
        long deadline = Long.MAX_VALUE;
        while (arrived.size() < written.size() || writing.get()) {
            if (!writing.get() && deadline == Long.MAX_VALUE) {
                deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            }
            if (System.nanoTime() > deadline) {
                return;
            }
            List<List<String>> rows = destination.clickHouse().rows("SELECT _id FROM `" + destination.database()
                + "`.`" + destination.table() + "` WHERE _id LIKE 'latency-%'");
            long now = System.nanoTime();
            for (List<String> row : rows) {
                arrived.putIfAbsent(row.get(0), now);
            }
            try {
                Thread.sleep(LATENCY_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private BsonTimestamp operationTime() {
        Document reply = source.runCommand(new Document("ping", 1));
        Object time = reply.get("operationTime");
        if (time instanceof BsonTimestamp timestamp) {
            return timestamp;
        }
        throw new IllegalStateException("the server's reply has no operationTime: " + reply.toJson());
    }
}
