package dev.ferry.testkit.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;


/**
 * A change log kept in the same MVStore file as the data, so that change streams can resume across a restart
 * of the emulator like they do across a restart of a mongod.
 */
final class MVStoreChangeLogStore implements ChangeLogStore {

    private static final String EVENTS_MAP = "ferry.changelog.events";
    private static final String META_MAP = "ferry.changelog.meta";
    private static final String TRUNCATED_UP_TO = "truncatedUpTo";

    private final MVMap<String, byte[]> events;
    private final MVMap<String, String> meta;

    MVStoreChangeLogStore(MVStore store) {
        this.events = store.openMap(EVENTS_MAP);
        this.meta = store.openMap(META_MAP);
    }

    @Override
    public void append(ChangeEvent event) {
        events.put(event.position().key(), BsonBytes.encode(event.toStoredDocument()));
    }

    @Override
    public List<ChangeEvent> read(ChangeLogPosition after, ChangeLogPosition upTo, int limit) {
        List<ChangeEvent> result = new ArrayList<>();
        String first = events.higherKey(after.key());
        if (first == null || first.compareTo(upTo.key()) > 0) {
            return result;
        }
        // a cursor from 'first' to 'upTo', both inclusive
        Cursor<String, byte[]> cursor = events.cursor(first, upTo.key(), false);
        while (cursor.hasNext() && result.size() < limit) {
            cursor.next();
            result.add(ChangeEvent.fromStoredDocument(BsonBytes.decode(cursor.getValue())));
        }
        return result;
    }

    @Override
    public Optional<ChangeLogPosition> last() {
        String last = events.lastKey();
        return last == null ? Optional.empty() : Optional.of(ChangeLogPosition.fromKey(last));
    }

    @Override
    public Optional<ChangeLogPosition> removeOldest() {
        String first = events.firstKey();
        if (first == null) {
            return Optional.empty();
        }
        events.remove(first);
        return Optional.of(ChangeLogPosition.fromKey(first));
    }

    @Override
    public long size() {
        return events.sizeAsLong();
    }

    @Override
    public ChangeLogPosition truncatedUpTo() {
        String key = meta.get(TRUNCATED_UP_TO);
        return key == null ? ChangeLogPosition.ORIGIN : ChangeLogPosition.fromKey(key);
    }

    @Override
    public void setTruncatedUpTo(ChangeLogPosition position) {
        meta.put(TRUNCATED_UP_TO, position.key());
    }

    @Override
    public void close() {
        // the MVStore belongs to the backend, which commits and closes it
    }
}
