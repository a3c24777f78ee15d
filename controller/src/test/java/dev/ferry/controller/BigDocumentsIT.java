package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.mongodb.client.MongoCollection;

import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/** Documents close to MongoDB's 16 MB limit arrive whole, through the snapshot and through the change stream. */
@ExtendWith(ClickHouseExtension.class)
class BigDocumentsIT extends WithController {

    private static final int NEARLY_16_MB = 15 * 1024 * 1024;

    @Test
    void documentsOfNearlySixteenMegabytesArriveWhole(ClickHouseServer clickHouse) {
        String db = "big_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> blobs = mongo.getDatabase(db).getCollection("blobs");
        blobs.insertOne(new Document("_id", "before").append("text", "a".repeat(NEARLY_16_MB)));
        String id = runningPipe(clickHouse, db, "blobs", "{\"syncIntervalSeconds\": 1}");

        blobs.insertOne(new Document("_id", "after").append("text", "b".repeat(NEARLY_16_MB)));

        Pipes.awaitEqual(clickHouse, db, "blobs", blobs);
        assertThat(clickHouse.http().value("SELECT sum(length(doc)) FROM " + db + ".blobs FINAL"))
            .isEqualTo(Long.toString(2L * NEARLY_16_MB + "{\"_id\":\"before\",\"text\":\"\"}".length()
                + "{\"_id\":\"after\",\"text\":\"\"}".length()));
        api.delete("/v1/pipes/" + id);
    }
}
