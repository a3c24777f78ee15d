package dev.ferry.testkit.mongo;

import de.bwaldvogel.mongo.bson.BsonTimestamp;

/**
 * A point in the emulator's change log: the cluster time of an operation and, for operations that share one
 * cluster time (the statements of a transaction), their order inside it. Positions sort in oplog order, and so
 * do their fixed-width hex {@link #key() keys}, which is what lets the log live in any sorted string map.
 */
record ChangeLogPosition(long clusterTime, int txnOpIndex) implements Comparable<ChangeLogPosition> {

    private static final int KEY_LENGTH = 24;

    /** The position before every operation: a stream resumed from here sees the whole log. */
    static final ChangeLogPosition ORIGIN = new ChangeLogPosition(0, 0);

    static ChangeLogPosition of(BsonTimestamp clusterTime, int txnOpIndex) {
        return new ChangeLogPosition(clusterTime.getValue(), txnOpIndex);
    }

    /** The last position that is still before every operation at {@code clusterTime} (startAtOperationTime). */
    static ChangeLogPosition justBefore(BsonTimestamp clusterTime) {
        long value = clusterTime.getValue();
        return value == 0 ? ORIGIN : new ChangeLogPosition(value - 1, Integer.MAX_VALUE);
    }

    /** The last position before this one: a stream started there reads this position's operation first. */
    ChangeLogPosition before() {
        if (txnOpIndex > 0) {
            return new ChangeLogPosition(clusterTime, txnOpIndex - 1);
        }
        return clusterTime == 0 ? ORIGIN : new ChangeLogPosition(clusterTime - 1, Integer.MAX_VALUE);
    }

    BsonTimestamp timestamp() {
        return new BsonTimestamp(clusterTime);
    }

    String key() {
        return String.format("%016x%08x", clusterTime, txnOpIndex);
    }

    static ChangeLogPosition fromKey(String key) {
        if (key.length() != KEY_LENGTH) {
            throw new IllegalArgumentException("not a change log key: " + key);
        }
        return new ChangeLogPosition(Long.parseUnsignedLong(key.substring(0, 16), 16),
            Integer.parseUnsignedInt(key.substring(16), 16));
    }

    @Override
    public int compareTo(ChangeLogPosition other) {
        int byTime = Long.compareUnsigned(clusterTime, other.clusterTime);
        return byTime != 0 ? byTime : Integer.compareUnsigned(txnOpIndex, other.txnOpIndex);
    }
}
