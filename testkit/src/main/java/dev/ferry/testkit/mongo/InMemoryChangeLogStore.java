package dev.ferry.testkit.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A change log kept in memory only: gone when the emulator stops. */
final class InMemoryChangeLogStore implements ChangeLogStore {

    private final ConcurrentSkipListMap<String, ChangeEvent> events = new ConcurrentSkipListMap<>();
    private volatile ChangeLogPosition truncatedUpTo = ChangeLogPosition.ORIGIN;

    @Override
    public void append(ChangeEvent event) {
        events.put(event.position().key(), event);
    }

    @Override
    public List<ChangeEvent> read(ChangeLogPosition after, ChangeLogPosition upTo, int limit) {
        List<ChangeEvent> result = new ArrayList<>();
        if (after.compareTo(upTo) >= 0) {
            return result;
        }
        for (Map.Entry<String, ChangeEvent> entry : events.subMap(after.key(), false, upTo.key(), true).entrySet()) {
            if (result.size() >= limit) {
                break;
            }
            result.add(entry.getValue());
        }
        return result;
    }

    @Override
    public Optional<ChangeLogPosition> last() {
        Map.Entry<String, ChangeEvent> last = events.lastEntry();
        return last == null ? Optional.empty() : Optional.of(last.getValue().position());
    }

    @Override
    public Optional<ChangeLogPosition> removeOldest() {
        Map.Entry<String, ChangeEvent> first = events.pollFirstEntry();
        return first == null ? Optional.empty() : Optional.of(first.getValue().position());
    }

    @Override
    public long size() {
        return events.size();
    }

    @Override
    public ChangeLogPosition truncatedUpTo() {
        return truncatedUpTo;
    }

    @Override
    public void setTruncatedUpTo(ChangeLogPosition position) {
        truncatedUpTo = position;
    }

    @Override
    public void close() {
        events.clear();
    }
}
