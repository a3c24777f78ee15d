package dev.ferry.common;

/**
 * {@code _peerdb_version} from the oplog order: the cluster time of a change (seconds and increment) and its
 * position among the changes that share that cluster time (a transaction's statements). Packed so that it
 * stays a positive Int64 until the year 2156: 32 bits of seconds since 2020-01-01, 21 bits of increment, 10 bits
 * of statement index. Increments and indexes beyond their fields (more than two million writes in a second, or
 * a transaction of more than a thousand statements) share the field's last value.
 */
public final class Versions {

    /** 2020-01-01T00:00:00Z: no change that ferry reads can be older. */
    static final long EPOCH_SECONDS = 1_577_836_800L;
    private static final int INCREMENT_BITS = 21;
    private static final int INDEX_BITS = 10;

    private Versions() {
    }

    public static long of(long clusterTimeSeconds, long increment, long statementIndex) {
        long seconds = Math.max(0, clusterTimeSeconds - EPOCH_SECONDS);
        long inc = Math.min(increment, (1L << INCREMENT_BITS) - 1);
        long index = Math.min(statementIndex, (1L << INDEX_BITS) - 1);
        return (seconds << (INCREMENT_BITS + INDEX_BITS)) | (inc << INDEX_BITS) | index;
    }

    /**
     * The cluster time of a change's version, as a BSON timestamp's value (seconds, then the increment); an
     * increment beyond its field's range comes back as the field's last value.
     */
    public static long clusterTime(long version) {
        long increment = (version >>> INDEX_BITS) & ((1L << INCREMENT_BITS) - 1);
        return (clusterTimeSeconds(version) << 32) | increment;
    }

    /** The cluster time's seconds since the epoch of a change's version. */
    public static long clusterTimeSeconds(long version) {
        return (version >>> (INCREMENT_BITS + INDEX_BITS)) + EPOCH_SECONDS;
    }

    /** The version of snapshot rows read after {@code startTime}: lower than every change at or after it. */
    public static long snapshotVersion(long startSeconds, long startIncrement) {
        return of(startSeconds, startIncrement, 0) - 1;
    }
}
