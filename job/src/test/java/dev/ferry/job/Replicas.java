package dev.ferry.job;

import java.util.HashMap;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.Document;

import com.mongodb.client.MongoCollection;

import dev.ferry.job.encoding.BsonJson;
import dev.ferry.job.encoding.DocumentIds;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/** Both sides of a replicated collection, document by document, as {@code _id column -> doc column}. */
public final class Replicas {

    private Replicas() {
    }

    /** What the table must hold: every document of the collection, encoded as ferry encodes it. */
    public static Map<String, String> expected(MongoCollection<Document> collection) {
        Map<String, String> documents = new HashMap<>();
        for (BsonDocument document : collection.withDocumentClass(BsonDocument.class).find()) {
            documents.put(DocumentIds.toColumn(document.get("_id")), BsonJson.encode(document));
        }
        return documents;
    }

    /** What the table holds: its live rows, as users query them ({@code FINAL}, not deleted). */
    public static Map<String, String> actual(ClickHouseServer clickHouse, String database, String table) {
        Map<String, String> rows = new HashMap<>();
        String body = clickHouse.http().execute("SELECT _id, doc FROM `" + database + "`.`" + table
            + "` FINAL WHERE _peerdb_is_deleted = 0 FORMAT JSONEachRow");
        body.lines().filter(line -> !line.isBlank()).forEach(line -> {
            Document row = Document.parse(line);
            rows.put(row.getString("_id"), row.getString("doc"));
        });
        return rows;
    }
}
