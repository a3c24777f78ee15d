package dev.ferry.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.Document;
import org.bson.RawBsonDocument;

import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;

import dev.ferry.common.encoding.BsonJson;
import dev.ferry.common.encoding.DocumentIds;
import dev.ferry.common.sql.TableLayout;
import dev.ferry.testkit.clickhouse.ClickHouseHttp;

/**
 * What the servers do without ferry: how fast the driver reads the collection, how fast ClickHouse takes the same
 * rows, how fast the driver reads a change stream. Each is as fast as a plain client gets (raw BSON, rows sent
 * ready-made), so that a ratio to it is ferry's own cost.
 */
final class Baselines {

    private static final int WARM_UP_DOCUMENTS = 50_000;
    private static final int INSERT_BATCH_ROWS = 100_000;

    private Baselines() {
    }

    /** Documents per second of a full read of the collection, after a read of its first documents to warm up. */
    static double readRate(MongoCollection<Document> collection) {
        MongoCollection<RawBsonDocument> raw = collection.withDocumentClass(RawBsonDocument.class);
        try (MongoCursor<RawBsonDocument> warmUp = raw.find().limit(WARM_UP_DOCUMENTS).iterator()) {
            warmUp.forEachRemaining(document -> { });
        }
        long start = System.nanoTime();
        long count = 0;
        try (MongoCursor<RawBsonDocument> cursor = raw.find().iterator()) {
            while (cursor.hasNext()) {
                cursor.next();
                count++;
            }
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Documents per second of {@code readers} threads reading the collection side by side, each an {@code _id}
     * range of about the same size (bounds from a sample), as ferry's readers do: how far the server scales.
     */
    static double parallelReadRate(MongoCollection<Document> collection, int readers) throws InterruptedException {
        MongoCollection<RawBsonDocument> raw = collection.withDocumentClass(RawBsonDocument.class);
        List<BsonValue> sampled = new ArrayList<>();
        raw.aggregate(List.of(new Document("$sample", new Document("size", readers * 20)),
                new Document("$project", new Document("_id", 1)), new Document("$sort", new Document("_id", 1))))
            .forEach(document -> sampled.add(document.get("_id")));
        List<BsonValue> bounds = new ArrayList<>();
        bounds.add(new BsonMinKey());
        for (int i = 1; i < readers; i++) {
            bounds.add(sampled.get(i * sampled.size() / readers));
        }
        bounds.add(new BsonMaxKey());
        // untimed: the first range read after writes is where the test server builds its _id order (an index,
        // which mongod keeps up to date as it writes)
        raw.find().min(new BsonDocument("_id", new BsonMinKey())).hint(new BsonDocument("_id", new BsonInt32(1)))
            .limit(1).first();
        AtomicLong count = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < readers; i++) {
            BsonValue min = bounds.get(i);
            BsonValue max = bounds.get(i + 1);
            Thread thread = new Thread(() -> {
                try (MongoCursor<RawBsonDocument> cursor = raw.find().min(new BsonDocument("_id", min))
                    .max(new BsonDocument("_id", max)).hint(new BsonDocument("_id", new BsonInt32(1))).iterator()) {
                    while (cursor.hasNext()) {
                        cursor.next();
                        count.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return count.get() / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Rows per second ClickHouse takes of the collection's rows, in ferry's table schema, sent as TabSeparated in
     * batches of 100,000 over HTTP; only the inserts are timed, the rows are encoded before.
     */
    static double insertRate(MongoCollection<Document> collection, ClickHouseHttp clickHouse, String database) {
        clickHouse.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`");
        clickHouse.execute(TableLayout.plain("String", "DateTime").createStatement(database, "orders"));
        String insert = "INSERT INTO `" + database + "`.orders (_id, doc, _peerdb_version, _peerdb_is_deleted)"
            + " FORMAT TabSeparated";
        long insertNanos = 0;
        long rows = 0;
        ByteArrayOutputStream batch = new ByteArrayOutputStream(64 << 20);
        int inBatch = 0;
        try (MongoCursor<RawBsonDocument> cursor = collection.withDocumentClass(RawBsonDocument.class).find()
            .iterator()) {
            while (cursor.hasNext()) {
                RawBsonDocument document = cursor.next();
                String line = tsv(DocumentIds.toColumn(document.get("_id"))) + '\t' + tsv(BsonJson.encode(document))
                    + "\t1\t0\n";
                batch.writeBytes(line.getBytes(StandardCharsets.UTF_8));
                if (++inBatch == INSERT_BATCH_ROWS || !cursor.hasNext()) {
                    long start = System.nanoTime();
                    clickHouse.insert(insert, batch.toByteArray());
                    insertNanos += System.nanoTime() - start;
                    rows += inBatch;
                    inBatch = 0;
                    batch.reset();
                }
            }
        }
        return rows / (insertNanos / 1e9);
    }

    /**
     * Events per second of a change stream read from {@code start} until {@code events} changes have come, with
     * the whole document looked up for updates as ferry asks for it.
     */
    static double changeStreamRate(MongoCollection<Document> collection, BsonTimestamp start, long events) {
        long begin = System.nanoTime();
        long count = 0;
        try (MongoChangeStreamCursor<ChangeStreamDocument<RawBsonDocument>> stream = collection
            .withDocumentClass(RawBsonDocument.class).watch(RawBsonDocument.class).startAtOperationTime(start)
            .fullDocument(FullDocument.UPDATE_LOOKUP).batchSize(10_000).cursor()) {
            while (count < events) {
                if (stream.tryNext() != null) {
                    count++;
                }
            }
        }
        return count / ((System.nanoTime() - begin) / 1e9);
    }

    private static String tsv(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
