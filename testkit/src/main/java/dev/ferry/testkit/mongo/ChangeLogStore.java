package dev.ferry.testkit.mongo;

import java.util.List;
import java.util.Optional;

/**
 * Where the change log keeps its events, in position order. Reads from a position cost O(log n + k): stores are
 * sorted maps keyed by {@link ChangeLogPosition#key()}, never scanned from the start.
 */
interface ChangeLogStore extends AutoCloseable {

    void append(ChangeEvent event);

    /** Up to {@code limit} events after {@code after} and at most at {@code upTo}, in order. */
    List<ChangeEvent> read(ChangeLogPosition after, ChangeLogPosition upTo, int limit);

    Optional<ChangeLogPosition> last();

    /** Removes the oldest event and returns its position. */
    Optional<ChangeLogPosition> removeOldest();

    long size();

    /** The newest position removed to keep the log bounded; {@link ChangeLogPosition#ORIGIN} when none was. */
    ChangeLogPosition truncatedUpTo();

    void setTruncatedUpTo(ChangeLogPosition position);

    @Override
    void close();
}
