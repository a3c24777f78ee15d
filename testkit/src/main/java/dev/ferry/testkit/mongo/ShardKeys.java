package dev.ferry.testkit.mongo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;

/**
 * The shard keys of a shard's sharded collections, as the router told the shard, so that its change events carry
 * them in {@code documentKey} as a shard's oplog does; and the keys of documents about to be deleted, read before
 * the delete, since the delete's record comes after the document is gone.
 */
final class ShardKeys {

    private final Map<Namespace, List<String>> fields = new ConcurrentHashMap<>();
    private final Map<Namespace, Map<Object, Document>> deleting = new ConcurrentHashMap<>();

    void shard(Namespace namespace, List<String> keyFields) {
        fields.put(namespace, List.copyOf(keyFields));
    }

    boolean isSharded(Namespace namespace) {
        return fields.containsKey(namespace);
    }

    /** The document's shard key fields other than {@code _id}, or null when there are none. */
    Document of(Namespace namespace, Document document) {
        List<String> keyFields = fields.get(namespace);
        if (keyFields == null || document == null) {
            return null;
        }
        Document key = new Document();
        for (String field : keyFields) {
            if (!field.equals("_id")) {
                Object value = Utils.getSubdocumentValue(document, field);
                key.put(field, value instanceof Missing ? null : value);
            }
        }
        return key.isEmpty() ? null : key;
    }

    /** Keeps the key of a document about to be deleted. */
    void deleting(Namespace namespace, Document document) {
        Document key = of(namespace, document);
        if (key != null) {
            deleting.computeIfAbsent(namespace, ns -> new ConcurrentHashMap<>()).put(document.get("_id"), key);
        }
    }

    /** The key kept for a deleted document, forgotten now. */
    Document deleted(Namespace namespace, Object id) {
        Map<Object, Document> keys = deleting.get(namespace);
        return keys == null ? null : keys.remove(id);
    }
}
