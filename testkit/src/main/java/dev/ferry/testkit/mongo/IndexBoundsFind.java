package dev.ferry.testkit.mongo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.NoopOplog;

/**
 * {@code find} with {@code min}/{@code max}: an index scan between two index keys, lower bound inclusive, upper
 * bound exclusive, in index order, as mongod does it. mongo-java-server ignores both options, which would hand a
 * range reader the whole collection, so the emulator answers these queries itself. The bounds compare in
 * MongoDB's order across BSON types (MinKey and MaxKey included), unlike {@code $gte}/{@code $lt} filters.
 */
final class IndexBoundsFind {

    private final MongoDatabase database;
    private final DatabaseResolver databases;
    private final SortedDocuments sortedDocuments;

    IndexBoundsFind(MongoDatabase database, DatabaseResolver databases, SortedDocuments sortedDocuments) {
        this.database = database;
        this.databases = databases;
        this.sortedDocuments = sortedDocuments;
    }

    List<Document> run(String collectionName, Document command) {
        MongoCollection<?> collection = database.resolveCollection(collectionName, false);
        Object hint = command.get("hint");
        if (hint == null) {
            throw new MongoServerError(51173, "Location51173",
                "When using min()/max() a hint of which index to use must be provided");
        }
        if (collection == null) {
            return List.of();
        }
        List<IndexKey> keys = resolveIndex(collection, hint);
        Document min = (Document) command.get("min");
        Document max = (Document) command.get("max");
        requireConsistent(keys, min);
        requireConsistent(keys, max);

        Document filter = (Document) command.getOrDefault("filter", new Document());
        if (filter.isEmpty() && keys.size() == 1 && keys.get(0).getKey().equals("_id") && keys.get(0).isAscending()) {
            List<Document> range = sortedDocuments.range(database.getDatabaseName() + "." + collectionName, collection,
                min == null ? null : min.get("_id"), max == null ? null : max.get("_id"));
            return applyModifiers(collection, withoutIdOrder(command), range);
        }
        Comparator<Document> indexOrder = (a, b) -> compareKeys(keys, a, b);
        List<Document> inRange = new ArrayList<>();
        for (Document document : collection.handleQuery(new Document("$query", filter))) {
            if ((min == null || compareKeys(keys, document, min) >= 0)
                && (max == null || compareKeys(keys, document, max) < 0)) {
                inRange.add(document);
            }
        }
        inRange.sort(indexOrder);
        return applyModifiers(collection, command, inRange);
    }

    /**
     * The command without a sort by {@code _id} ascending, the order the range is in already: mongod reads it from
     * the index without sorting, and sorting it again cost more than the rest of a range read.
     */
    private static Document withoutIdOrder(Document command) {
        if (command.get("sort") instanceof Document sort && sort.size() == 1
            && sort.get("_id") instanceof Number direction && direction.doubleValue() > 0) {
            Document unsorted = new Document(command);
            unsorted.remove("sort");
            return unsorted;
        }
        return command;
    }

    private List<Document> applyModifiers(MongoCollection<?> collection, Document command, List<Document> documents) {
        List<Document> stages = new ArrayList<>();
        if (command.get("sort") instanceof Document sort && !sort.isEmpty()) {
            stages.add(new Document("$sort", sort));
        }
        if (command.get("skip") instanceof Number skip && skip.longValue() > 0) {
            stages.add(new Document("$skip", skip));
        }
        if (command.get("limit") instanceof Number limit && limit.longValue() != 0) {
            stages.add(new Document("$limit", Math.abs(limit.longValue())));
        }
        if (command.get("projection") instanceof Document projection && !projection.isEmpty()) {
            stages.add(new Document("$project", projection));
        }
        if (stages.isEmpty()) {
            return documents;
        }
        return Aggregation.fromPipeline(stages, databases, database, collection, NoopOplog.get())
            .runStages(documents.stream());
    }

    private static List<IndexKey> resolveIndex(MongoCollection<?> collection, Object hint) {
        for (Index<?> index : collection.getIndexes()) {
            if (hint instanceof String name ? name.equals(index.getName()) : matches(index.getKeys(), hint)) {
                return index.getKeys();
            }
        }
        throw new MongoServerError(2, "BadValue", "hint provided does not correspond to an existing index: " + hint);
    }

    private static boolean matches(List<IndexKey> keys, Object hint) {
        if (!(hint instanceof Document pattern) || pattern.size() != keys.size()) {
            return false;
        }
        int i = 0;
        for (Map.Entry<String, Object> entry : pattern.entrySet()) {
            IndexKey key = keys.get(i++);
            boolean ascending = !(entry.getValue() instanceof Number n) || n.doubleValue() > 0;
            if (!key.getKey().equals(entry.getKey()) || key.isAscending() != ascending) {
                return false;
            }
        }
        return true;
    }

    private static void requireConsistent(List<IndexKey> keys, Document bound) {
        if (bound == null) {
            return;
        }
        List<String> fields = keys.stream().map(IndexKey::getKey).toList();
        if (!new ArrayList<>(bound.keySet()).equals(fields)) {
            throw new MongoServerError(51174, "Location51174",
                "The index chosen is not consistent with min/max: min and max must have the fields " + fields);
        }
    }

    private static int compareKeys(List<IndexKey> keys, Document a, Document b) {
        for (IndexKey key : keys) {
            int byKey = ValueComparator.asc().compare(keyValue(a, key.getKey()), keyValue(b, key.getKey()));
            if (byKey != 0) {
                return key.isAscending() ? byKey : -byKey;
            }
        }
        return 0;
    }

    private static Object keyValue(Document document, String field) {
        Object value = Utils.getSubdocumentValue(document, field);
        return value instanceof Missing ? null : value;
    }
}
