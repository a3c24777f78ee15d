package dev.ferry.controller.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.BsonDocument;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;

import dev.ferry.common.encoding.BsonJson;
import dev.ferry.common.encoding.DocumentIds;
import dev.ferry.common.encoding.FieldExclusions;
import dev.ferry.controller.connect.Destination;
import dev.ferry.controller.pipe.TableMapping;

/**
 * Compares one mapped collection with its table, document by document: the table's live rows are read into a map
 * from {@code _id} to the hash of the canonical document (about 100 bytes a row), then every document of the
 * collection is looked up in it, encoded as the pipe encodes it. What is left in the map is extra in ClickHouse.
 */
final class TableVerifier {

    /** How many ids of each kind the report shows with both versions. */
    static final int EXAMPLES = 5;
    private static final int PROGRESS_EVERY = 1_000;

    private final Destination clickHouse;
    private final MongoClient mongo;

    TableVerifier(Destination clickHouse, MongoClient mongo) {
        this.clickHouse = clickHouse;
        this.mongo = mongo;
    }

    /**
     * {@code mapping}'s collection (with its excluded fields left out, as the pipe leaves them out) against its
     * table; with {@code deletesKept}, rows without a document are the pipe's kept deletes, not extra.
     */
    VerifyReport.Table verify(TableMapping mapping, boolean deletesKept, VerifyProgress progress) {
        FieldExclusions excluded = FieldExclusions.of(mapping.excludeFields());
        String table = mapping.targetTable();
        MongoCollection<BsonDocument> collection = mongo.getDatabase(mapping.sourceDatabaseName())
            .getCollection(mapping.sourceCollection(), BsonDocument.class);
        long toRead = clickHouse.liveRowCount(table) + collection.estimatedDocumentCount();
        AtomicLong read = new AtomicLong();

        Map<String, Long> rows = new HashMap<>();
        progress.update(table, "reading ClickHouse", read, toRead);
        clickHouse.liveRows(table, null, (id, doc) -> {
            rows.put(id, CanonicalJson.hash(doc));
            if (read.incrementAndGet() % PROGRESS_EVERY == 0) {
                progress.update(table, "reading ClickHouse", read, toRead);
            }
        });
        long clickHouseRows = rows.size();

        progress.update(table, "reading MongoDB", read, toRead);
        long documents = 0;
        long missing = 0;
        long different = 0;
        List<VerifyReport.Example> missingIds = new ArrayList<>();
        Map<String, String> differentIds = new HashMap<>();
        for (BsonDocument document : collection.find()) {
            documents++;
            String id = DocumentIds.toColumn(document.get("_id"));
            String json = BsonJson.encode(document, excluded);
            Long row = rows.remove(id);
            if (row == null) {
                missing++;
                if (missingIds.size() < EXAMPLES) {
                    missingIds.add(new VerifyReport.Example(id, json, null));
                }
            } else if (row != CanonicalJson.hash(json)) {
                different++;
                if (differentIds.size() < EXAMPLES) {
                    differentIds.put(id, json);
                }
            }
            if (read.incrementAndGet() % PROGRESS_EVERY == 0) {
                progress.update(table, "reading MongoDB", read, toRead);
            }
        }
        long keptDeletes = deletesKept ? rows.size() : 0;
        if (deletesKept) {
            rows.clear();
        }
        List<String> extra = rows.keySet().stream().sorted().limit(EXAMPLES).toList();
        Map<String, String> clickHouseDocs = new HashMap<>();
        List<String> shown = new ArrayList<>(extra);
        shown.addAll(differentIds.keySet());
        if (!shown.isEmpty()) {
            clickHouse.liveRows(table, shown, clickHouseDocs::put);
        }
        progress.update(table, "done", read, read.get());
        boolean equal = missing == 0 && rows.isEmpty() && different == 0;
        return new VerifyReport.Table(table, mapping.namespace(), equal, documents, clickHouseRows, missing,
            rows.size(), keptDeletes, different, missingIds,
            extra.stream().map(id -> new VerifyReport.Example(id, null, clickHouseDocs.get(id))).toList(),
            differentIds.keySet().stream().sorted()
                .map(id -> new VerifyReport.Example(id, differentIds.get(id), clickHouseDocs.get(id))).toList());
    }
}
