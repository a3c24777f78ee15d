package dev.ferry.testkit.mongo;

import static dev.ferry.testkit.mongo.EventReader.take;
import static dev.ferry.testkit.mongo.EventReader.takeOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;

/**
 * Resuming change streams ({@code resumeAfter}, {@code startAfter}, {@code startAtOperationTime}) and losing
 * history, as the manual's "Resume a Change Stream" section describes them.
 */
class ChangeStreamResumeContractTest {

    private static MongoCollection<Document> collection(MongoClient client) {
        return client.getDatabase("resume_" + UUID.randomUUID().toString().substring(0, 8)).getCollection("c");
    }

    private static MongoCursor<Document> watch(MongoCollection<Document> c, java.util.function.UnaryOperator<
        com.mongodb.client.ChangeStreamIterable<Document>> options) {
        return options.apply(c.watch()).withDocumentClass(Document.class).cursor();
    }

    /** Drops the collection under a stream and returns the stream's last event, its invalidate. */
    private static Document invalidateByDrop(MongoCollection<Document> c) {
        c.insertOne(new Document("_id", 1));
        try (MongoCursor<Document> stream = watch(c, s -> s)) {
            c.drop();
            return take(stream, 2).get(1);
        }
    }

    private static BsonDocument token(Document event) {
        return event.get("_id", Document.class).toBsonDocument();
    }

    @Test
    void resumeAfterAnEventDeliversExactlyTheEventsAfterIt() {
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.start();
             MongoClient client = MongoClients.create(emulator.connectionString())) {
            MongoCollection<Document> c = collection(client);
            Document second;
            try (MongoCursor<Document> stream = watch(c, s -> s)) {
                for (int i = 1; i <= 5; i++) {
                    c.insertOne(new Document("_id", i));
                }
                second = take(stream, 2).get(1);
            }

            try (MongoCursor<Document> resumed = watch(c, s -> s.resumeAfter(token(second)))) {
                assertThat(take(resumed, 3)).extracting(e -> e.get("documentKey", Document.class).get("_id"))
                    .containsExactly(3, 4, 5);
            }
        }
    }

    @Test
    void startAtOperationTimeIncludesTheOperationAtThatTime() {
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.start();
             MongoClient client = MongoClients.create(emulator.connectionString())) {
            MongoCollection<Document> c = collection(client);
            c.insertOne(new Document("_id", "before"));
            Document insert = client.getDatabase(c.getNamespace().getDatabaseName()).runCommand(
                new Document("insert", "c").append("documents", List.of(new Document("_id", "at"))));
            BsonTimestamp operationTime = (BsonTimestamp) insert.get("operationTime");
            c.insertOne(new Document("_id", "after"));

            try (MongoCursor<Document> stream = watch(c, s -> s.startAtOperationTime(operationTime))) {
                assertThat(take(stream, 2)).extracting(e -> e.get("documentKey", Document.class).get("_id"))
                    .containsExactly("at", "after");
            }
        }
    }

    @Test
    void startAtAnOperationTimeStillToComeDeliversTheChangesFromThen() {
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.start();
             MongoClient client = MongoClients.create(emulator.connectionString())) {
            MongoCollection<Document> c = collection(client);
            Document ping = client.getDatabase("admin").runCommand(new Document("ping", 1));
            BsonTimestamp next = new BsonTimestamp(((BsonTimestamp) ping.get("operationTime")).getValue() + 1);

            try (MongoCursor<Document> stream = watch(c, s -> s.startAtOperationTime(next))) {
                assertThat(stream.tryNext()).isNull();
                c.insertOne(new Document("_id", "later"));
                assertThat(takeOne(stream).get("documentKey", Document.class).get("_id")).isEqualTo("later");
            }
        }
    }

    @Test
    void startAfterAnInvalidateOpensANewStreamOnTheRecreatedCollection() {
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.start();
             MongoClient client = MongoClients.create(emulator.connectionString())) {
            MongoCollection<Document> c = collection(client);
            Document invalidate = invalidateByDrop(c);
            assertThat(invalidate.getString("operationType")).isEqualTo("invalidate");
            c.insertOne(new Document("_id", "reborn"));

            try (MongoCursor<Document> stream = watch(c, s -> s.startAfter(token(invalidate)))) {
                assertThat(takeOne(stream).get("documentKey", Document.class).get("_id")).isEqualTo("reborn");
            }
        }
    }

    @Test
    void resumeAfterAnInvalidateIsRefused() {
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.start();
             MongoClient client = MongoClients.create(emulator.connectionString())) {
            MongoCollection<Document> c = collection(client);
            Document invalidate = invalidateByDrop(c);

            assertThatThrownBy(() -> watch(c, s -> s.resumeAfter(token(invalidate))).tryNext())
                .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(260));
        }
    }

    @Test
    void resumingFromAPositionTheBoundedLogDroppedFailsWithHistoryLost() {
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.builder().changeLogSize(10).start();
             MongoClient client = MongoClients.create(emulator.connectionString())) {
            MongoCollection<Document> c = collection(client);
            Document first;
            try (MongoCursor<Document> stream = watch(c, s -> s)) {
                c.insertOne(new Document("_id", 0));
                first = takeOne(stream);
            }
            for (int i = 1; i <= 20; i++) {
                c.insertOne(new Document("_id", i));
            }

            assertThat(emulator.changeLogSize()).isEqualTo(10);
            assertThatThrownBy(() -> watch(c, s -> s.resumeAfter(token(first))).tryNext())
                .isInstanceOfSatisfying(MongoCommandException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(286);
                    assertThat(e.getErrorCodeName()).isEqualTo("ChangeStreamHistoryLost");
                });
        }
    }

    @Test
    void aStreamThatFallsBehindTheBoundedLogFailsWithHistoryLost() {
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.builder().changeLogSize(5).start();
             MongoClient client = MongoClients.create(emulator.connectionString())) {
            MongoCollection<Document> c = collection(client);
            MongoCursor<Document> stream = watch(c, s -> s);
            for (int i = 1; i <= 20; i++) {
                c.insertOne(new Document("_id", i));
            }

            assertThatThrownBy(stream::tryNext)
                .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(286));
        }
    }

    @Test
    void withADataFileDataAndChangeStreamPositionsSurviveARestart(@TempDir Path directory) {
        Path dataFile = directory.resolve("mongo.mv");
        Document lastSeen;
        String db;
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.builder().dataFile(dataFile).start();
             MongoClient client = MongoClients.create(emulator.connectionString())) {
            MongoCollection<Document> c = collection(client);
            db = c.getNamespace().getDatabaseName();
            try (MongoCursor<Document> stream = watch(c, s -> s)) {
                c.insertOne(new Document("_id", 1));
                lastSeen = takeOne(stream);
            }
            c.insertOne(new Document("_id", 2));
        }

        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.builder().dataFile(dataFile).start();
             MongoClient client = MongoClients.create(emulator.connectionString())) {
            MongoCollection<Document> c = client.getDatabase(db).getCollection("c");
            assertThat(c.countDocuments()).isEqualTo(2);
            c.insertOne(new Document("_id", 3));
            try (MongoCursor<Document> resumed = watch(c, s -> s.resumeAfter(token(lastSeen)))) {
                assertThat(take(resumed, 2)).extracting(e -> e.get("documentKey", Document.class).get("_id"))
                    .containsExactly(2, 3);
            }
        }
    }
}
