package dev.ferry.testkit.mongo;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;

import com.mongodb.client.MongoCursor;

/** Reads a known number of raw change events from a driver change-stream cursor, failing after a deadline. */
final class EventReader {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private EventReader() {
    }

    static <T> List<T> take(MongoCursor<T> cursor, int count) {
        List<T> events = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (events.size() < count) {
            if (System.nanoTime() > deadline) {
                fail("expected " + count + " change events within " + DEADLINE + ", got " + events);
            }
            T event = cursor.tryNext();
            if (event != null) {
                events.add(event);
            }
        }
        return events;
    }

    static Document takeOne(MongoCursor<Document> cursor) {
        return take(cursor, 1).get(0);
    }

    static List<String> operationTypes(List<Document> events) {
        return events.stream().map(event -> event.getString("operationType")).toList();
    }
}
