package dev.ferry.testkit.mongo;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cursors the emulator serves itself. Their ids live in a range of their own, far above the ids
 * mongo-java-server hands out from 1 upwards, so a {@code getMore} can be routed by id alone. Like mongod, a cursor
 * nobody asked for in ten minutes is closed.
 */
final class EmulatorCursors {

    private static final long FIRST_ID = 1L << 48;
    private static final long IDLE_TIMEOUT_NANOS = Duration.ofMinutes(10).toNanos();

    private record Entry(EmulatorCursor cursor, long lastUsedNanos) {
    }

    private final AtomicLong nextId = new AtomicLong(FIRST_ID);
    private final Map<Long, Entry> cursors = new ConcurrentHashMap<>();

    long newId() {
        return nextId.getAndIncrement();
    }

    void register(EmulatorCursor cursor) {
        closeIdle();
        cursors.put(cursor.id(), new Entry(cursor, System.nanoTime()));
    }

    /** The cursor with this id, or null when the emulator does not serve it. */
    EmulatorCursor find(long id) {
        Entry entry = cursors.computeIfPresent(id, (key, old) -> new Entry(old.cursor(), System.nanoTime()));
        return entry == null ? null : entry.cursor();
    }

    boolean owns(long id) {
        return id >= FIRST_ID && id < nextId.get();
    }

    boolean remove(long id) {
        return cursors.remove(id) != null;
    }

    private void closeIdle() {
        long now = System.nanoTime();
        cursors.values().removeIf(entry -> now - entry.lastUsedNanos() > IDLE_TIMEOUT_NANOS);
    }
}
