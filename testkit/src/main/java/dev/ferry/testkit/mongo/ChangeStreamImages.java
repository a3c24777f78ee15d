package dev.ferry.testkit.mongo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.bson.Document;

/**
 * Which collections keep the pre- and post-images of their changes ({@code changeStreamPreAndPostImages: {enabled:
 * true}}, MongoDB 6.0+) and since when, and the images themselves: an event's post-image is there for a change
 * stream only when the collection kept images at the time of the change, and its pre-image (the document as it was
 * before an update, replace or delete) likewise, as mongod writes both to its images collection as it writes the
 * change. The documents of such a collection are held as they are now, which is what the next change's pre-image
 * will be.
 */
final class ChangeStreamImages {

    private final Map<Namespace, ChangeLogPosition> enabledSince = new ConcurrentHashMap<>();
    private final Map<Namespace, Map<Object, Document>> current = new ConcurrentHashMap<>();

    /** From now on; {@code documents}: the collection's documents as they are, the first changes' pre-images. */
    void enable(Namespace namespace, ChangeLogPosition head, Stream<Document> documents) {
        if (enabledSince.putIfAbsent(namespace, head) == null) {
            Map<Object, Document> byId = new ConcurrentHashMap<>();
            documents.forEach(document -> byId.put(document.get("_id"), document.cloneDeeply()));
            current.put(namespace, byId);
        }
    }

    void disable(Namespace namespace) {
        enabledSince.remove(namespace);
        current.remove(namespace);
    }

    boolean enabled(Namespace namespace) {
        return enabledSince.containsKey(namespace);
    }

    /**
     * Notes a document's new state ({@code after}; null: deleted) and answers its state before, the pre-image of the
     * change; null when the collection keeps no images or the document was not there.
     */
    Document changed(Namespace namespace, Object id, Document after) {
        Map<Object, Document> documents = current.get(namespace);
        if (documents == null) {
            return null;
        }
        return after == null ? documents.remove(id) : documents.put(id, after.cloneDeeply());
    }

    /** Whether the images of {@code event} were kept. */
    boolean kept(ChangeEvent event) {
        ChangeLogPosition since = enabledSince.get(event.namespace());
        return since != null && event.position().compareTo(since) > 0;
    }
}
