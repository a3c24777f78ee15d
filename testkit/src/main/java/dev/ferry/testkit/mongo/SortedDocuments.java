package dev.ferry.testkit.mongo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Each collection's documents in the order of the {@code _id} index, so that a range read ({@code min}/{@code max}
 * on {@code _id}) finds its range by binary search and hands it out as it is, as mongod's index does, instead of
 * scanning the collection. mongo-java-server keeps no ordered index: the order is built on the first range read,
 * and built again after any write changed the collection; a collection nobody writes while it is read, as in a
 * snapshot, is sorted once. It holds the collection's own document objects (mongo-java-server hands those out to
 * queries too), not copies.
 */
final class SortedDocuments {

    private record Sorted(long version, List<Object> ids, List<Document> documents) {
    }

    private record Keyed(Object id, Document document) {
    }

    private static final Comparator<Object> INDEX_ORDER = ValueComparator.asc();

    private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
    private final Map<String, Sorted> sorted = new ConcurrentHashMap<>();

    /** {@code namespace} was written to: its order is built again when next needed. */
    void changed(String namespace) {
        versions.computeIfAbsent(namespace, ns -> new AtomicLong()).incrementAndGet();
        sorted.remove(namespace);
    }

    /** Every collection of {@code database} changed (it was dropped). */
    void databaseChanged(String database) {
        versions.keySet().stream().filter(ns -> ns.startsWith(database + ".")).forEach(this::changed);
    }

    /**
     * The documents whose {@code _id} is from {@code min} (inclusive, null: from the first) to {@code max}
     * (exclusive, null: to the last), in index order.
     */
    List<Document> range(String namespace, MongoCollection<?> collection, Object min, Object max) {
        Sorted all = of(namespace, collection);
        int from = min == null ? 0 : lowerBound(all.ids(), min);
        int to = max == null ? all.ids().size() : lowerBound(all.ids(), max);
        return to <= from ? List.of() : all.documents().subList(from, to);
    }

    // one reader sorts while the others wait for its order, rather than each sorting the collection itself
    private synchronized Sorted of(String namespace, MongoCollection<?> collection) {
        long version = versions.computeIfAbsent(namespace, ns -> new AtomicLong()).get();
        Sorted known = sorted.get(namespace);
        if (known != null && known.version() == version) {
            return known;
        }
        List<Keyed> keyed = new ArrayList<>();
        // a query answers under the collection's lock, in one list; each _id is looked up once, not per comparison
        collection.handleQuery(new Document()).forEach(document -> keyed.add(new Keyed(document.get("_id"), document)));
        keyed.sort((a, b) -> INDEX_ORDER.compare(a.id(), b.id()));
        List<Object> ids = new ArrayList<>(keyed.size());
        List<Document> documents = new ArrayList<>(keyed.size());
        keyed.forEach(entry -> {
            ids.add(entry.id());
            documents.add(entry.document());
        });
        Sorted fresh = new Sorted(version, ids, documents);
        sorted.put(namespace, fresh);
        return fresh;
    }

    /** The position of the first {@code _id} not below {@code bound}. */
    private static int lowerBound(List<Object> ids, Object bound) {
        int low = 0;
        int high = ids.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (INDEX_ORDER.compare(ids.get(middle), bound) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
