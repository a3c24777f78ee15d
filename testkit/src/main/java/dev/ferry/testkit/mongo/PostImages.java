package dev.ferry.testkit.mongo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which collections keep the post-images of their changes ({@code changeStreamPreAndPostImages: {enabled: true}},
 * MongoDB 6.0+) and since when: an update's post-image is there for a change stream only when the collection
 * kept images at the time of the update, as mongod writes them to its images collection as it writes the change.
 */
final class PostImages {

    private final Map<Namespace, ChangeLogPosition> enabledSince = new ConcurrentHashMap<>();

    void enable(Namespace namespace, ChangeLogPosition head) {
        enabledSince.putIfAbsent(namespace, head);
    }

    void disable(Namespace namespace) {
        enabledSince.remove(namespace);
    }

    boolean enabled(Namespace namespace) {
        return enabledSince.containsKey(namespace);
    }

    /** Whether the post-image of {@code event} was kept. */
    boolean kept(ChangeEvent event) {
        ChangeLogPosition since = enabledSince.get(event.namespace());
        return since != null && event.position().compareTo(since) > 0;
    }
}
