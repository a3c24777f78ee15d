package dev.ferry.job.cdc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

/**
 * Joins the fragments of a change event over 16 MB, which MongoDB (7.0, and 6.0.9) splits when the stream ends
 * with {@code $changeStreamSplitLargeEvent}: each fragment carries some of the event's top-level fields and
 * {@code splitEvent: {fragment, of}}. The joined event has every field once and the last fragment's resume token,
 * after which the stream goes on with the next event. Fragments may span the cursor's batches, so the reader keeps
 * one of these between fetches.
 */
final class EventFragments {

    private static final String SPLIT_EVENT = "splitEvent";
    private final List<RawBsonDocument> fragments = new ArrayList<>();

    /** Whether fragments of an event are waiting for the rest: the stream's position must not move past them. */
    boolean pending() {
        return !fragments.isEmpty();
    }

    /** The event whole: {@code event} itself, or the joined fragments once the last arrived; empty until then. */
    Optional<BsonDocument> add(RawBsonDocument event) {
        BsonValue split = event.get(SPLIT_EVENT);
        if (split == null) {
            if (pending()) {
                throw new IllegalStateException("a whole change event arrived while fragment "
                    + fragments.size() + " of another was the last read");
            }
            return Optional.of(event);
        }
        int fragment = split.asDocument().getNumber("fragment").intValue();
        int of = split.asDocument().getNumber("of").intValue();
        if (fragment != fragments.size() + 1) {
            throw new IllegalStateException("change event fragment " + fragment + " of " + of + " arrived after "
                + fragments.size() + " fragments");
        }
        fragments.add(event);
        if (fragment < of) {
            return Optional.empty();
        }
        BsonDocument joined = new BsonDocument("_id", event.get("_id"));
        for (RawBsonDocument part : fragments) {
            for (Map.Entry<String, BsonValue> field : part.entrySet()) {
                if (!field.getKey().equals("_id") && !field.getKey().equals(SPLIT_EVENT)) {
                    joined.put(field.getKey(), field.getValue());
                }
            }
        }
        fragments.clear();
        return Optional.of(joined);
    }
}
