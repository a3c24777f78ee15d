package dev.ferry.job.keys;

/**
 * Where a document's row last went: the version of that row and its key columns' values (RowBinary, as the row
 * carried them). Flink's POJO serializer keeps it in keyed state, hence the public fields.
 */
public final class KeyPlacement {

    public long version;
    public byte[] key;

    public KeyPlacement() {
    }

    public KeyPlacement(long version, byte[] key) {
        this.version = version;
        this.key = key;
    }
}
