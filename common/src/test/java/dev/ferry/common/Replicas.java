package dev.ferry.common;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.BsonDocument;
import org.bson.Document;

import com.mongodb.client.MongoCollection;

import dev.ferry.common.encoding.BsonJson;
import dev.ferry.common.encoding.DocumentIds;
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

    /**
     * Fails unless the table's live rows equal the collection document by document; the message gives the counts
     * and the first few ids missing, extra and different (with both versions), not both whole sides.
     */
    public static void assertTableEquals(ClickHouseServer clickHouse, String database, String table,
                                         MongoCollection<Document> collection) {
        Map<String, String> expected = expected(collection);
        Map<String, String> actual = actual(clickHouse, database, table);
        if (expected.equals(actual)) {
            return;
        }
        List<String> missing = expected.keySet().stream().filter(id -> !actual.containsKey(id)).sorted().toList();
        List<String> extra = actual.keySet().stream().filter(id -> !expected.containsKey(id)).sorted().toList();
        List<String> different = expected.keySet().stream()
            .filter(id -> actual.containsKey(id) && !actual.get(id).equals(expected.get(id))).sorted().toList();
        StringBuilder message = new StringBuilder(database + "." + table + " holds " + actual.size()
            + " live rows, the collection " + expected.size() + " documents; missing " + missing.size() + " "
            + first(missing) + ", extra " + extra.size() + " " + first(extra) + ", different " + different.size());
        different.stream().limit(3).forEach(id -> message.append("\n  ").append(id).append(": expected ")
            .append(expected.get(id)).append("\n  ").append(" ".repeat(id.length())).append("  actual   ")
            .append(actual.get(id)));
        throw new AssertionError(message.toString());
    }

    private static String first(List<String> ids) {
        return ids.stream().limit(5).toList() + (ids.size() > 5 ? "..." : "");
    }
}
