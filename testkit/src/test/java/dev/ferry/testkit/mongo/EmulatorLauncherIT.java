package dev.ferry.testkit.mongo;

import static dev.ferry.testkit.mongo.EventReader.take;
import static dev.ferry.testkit.mongo.EventReader.takeOne;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;

/** {@code bin/ferry mongo-emulator} as a user runs it: its own process, served to the official driver. */
class EmulatorLauncherIT {

    private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).getParent().resolve("bin/ferry");

    @Test
    void helpListsTheEmulatorAndExitsZero() throws Exception {
        Process help = new ProcessBuilder(LAUNCHER.toString(), "--help").redirectErrorStream(true).start();
        String output = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(output).contains("mongo-emulator");
    }

    @Test
    void theEmulatorProcessServesTheDriverAndKeepsDataAndChangeLogAcrossRestarts(@TempDir Path directory)
        throws Exception {
        int port = freePort();
        Path dataFile = directory.resolve("mongo.mv");
        Document firstEvent;

        Process first = launch(port, dataFile);
        try (MongoClient client = MongoClients.create(connectionString(first))) {
            MongoCollection<Document> c = client.getDatabase("launcher").getCollection("c");
            try (MongoCursor<Document> stream = c.watch().withDocumentClass(Document.class).cursor()) {
                c.insertMany(List.of(new Document("_id", 1), new Document("_id", 2), new Document("_id", 3)));
                firstEvent = takeOne(stream);
            }
        } finally {
            stop(first);
        }

        Process second = launch(port, dataFile);
        try (MongoClient client = MongoClients.create(connectionString(second))) {
            MongoCollection<Document> c = client.getDatabase("launcher").getCollection("c");
            assertThat(c.countDocuments()).isEqualTo(3);
            try (MongoCursor<Document> resumed = c.watch()
                .resumeAfter(firstEvent.get("_id", Document.class).toBsonDocument())
                .withDocumentClass(Document.class).cursor()) {
                assertThat(take(resumed, 2)).extracting(e -> e.get("documentKey", Document.class).get("_id"))
                    .containsExactly(2, 3);
            }
        } finally {
            stop(second);
        }
    }

    private static Process launch(int port, Path dataFile) throws IOException {
        return new ProcessBuilder(LAUNCHER.toString(), "mongo-emulator", "--port", Integer.toString(port),
            "--data-file", dataFile.toString())
            .redirectErrorStream(true)
            .start();
    }

    /** Reads the process output up to the line that announces the connection string. */
    private static String connectionString(Process process) throws IOException {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            int at = line.indexOf("mongodb://");
            if (at >= 0) {
                return line.substring(at).trim();
            }
        }
        throw new IllegalStateException("the emulator exited without announcing its address");
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
