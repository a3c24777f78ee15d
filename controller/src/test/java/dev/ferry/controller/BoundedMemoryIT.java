package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.Eventually;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;

/**
 * The controller's memory is bounded by bytes, not by the size of the data: a collection of about 640 MB loads
 * under a 256 MB heap (rows held by count, 100,000 per batch, needed several times the collection's size).
 */
@ExtendWith(ClickHouseExtension.class)
class BoundedMemoryIT {

    private static final int DOCUMENTS = 40_000; // a multiple of the 500 inserted at a time
    private static final int DOCUMENT_BYTES = 16 * 1024;

    @Test
    void aCollectionSeveralTimesLargerThanTheHeapLoadsWhole(ClickHouseServer clickHouse, @TempDir Path data)
        throws Exception {
        try (ReplicaSetEmulator emulator = ReplicaSetEmulator.builder().changeLogSize(1_000).start();
             MongoClient client = MongoClients.create(emulator.connectionString())) {
            MongoCollection<Document> big = client.getDatabase("bounded").getCollection("big");
            insertBigDocuments(big);
            try (ControllerProcess controller = ControllerProcess.start(TestControllers.freePort(), data,
                "--heap", "256m")) {
                RestApi api = controller.api();
                String id = Pipes.create(api, Pipes.request("bounded", emulator.connectionString(), clickHouse.url(),
                    "bounded", "bounded", "big", "{\"replicationMode\": \"snapshot\"}"));

                Eventually.within(Duration.ofMinutes(5), () ->
                    assertThat(api.get("/v1/pipes/" + id).body().get("state").asText()).isEqualTo("Completed"));

                JsonNode report = api.get("/v1/pipes/" + id + "/verify").body();
                assertThat(report.get("equal").asBoolean()).as(report.toString()).isTrue();
                assertThat(report.at("/tables/0/clickhouseRows").asLong()).isEqualTo(DOCUMENTS);
            }
        }
    }

    /** Documents of 16 KB of text that does not repeat, so that no layer can make them small. */
    private static void insertBigDocuments(MongoCollection<Document> collection) {
        Random random = new Random(16);
        char[] text = new char[DOCUMENT_BYTES];
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < DOCUMENTS; i++) {
            for (int c = 0; c < text.length; c++) {
                text[c] = (char) ('a' + random.nextInt(26));
            }
            batch.add(new Document("_id", i).append("text", new String(text)));
            if (batch.size() == 500) {
                collection.insertMany(batch);
                batch.clear();
            }
        }
    }
}
