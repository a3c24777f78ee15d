package dev.ferry.job.snapshot;

import java.io.IOException;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/**
 * Checkpointed form of {@link SnapshotSplit}: a BSON document, so that bounds of any BSON type keep their type.
 * Version 2 adds how many ranges the split's load has; a version 1 split reads as not knowing it (0).
 */
public final class SnapshotSplitSerializer implements SimpleVersionedSerializer<SnapshotSplit> {

    private static final int VERSION = 2;
    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SnapshotSplit split) {
        return toBytes(toDocument(split));
    }

    @Override
    public SnapshotSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != VERSION) {
            throw new IOException("unknown snapshot split version " + version);
        }
        return fromDocument(new RawBsonDocument(serialized).decode(CODEC));
    }

    static BsonDocument toDocument(SnapshotSplit split) {
        BsonDocument document = new BsonDocument("id", new BsonString(split.splitId()))
            .append("load", new BsonString(split.loadKey()))
            .append("min", split.min())
            .append("max", split.max())
            .append("rows", new BsonInt64(split.rows()))
            .append("finished", BsonBoolean.valueOf(split.finished()))
            .append("ranges", new BsonInt32(split.ranges()));
        if (split.after() != null) {
            document.append("after", split.after());
        }
        return document;
    }

    static SnapshotSplit fromDocument(BsonDocument document) {
        BsonValue after = document.get("after");
        return new SnapshotSplit(document.getString("id").getValue(), document.getString("load").getValue(),
            document.get("min"), document.get("max"), after, document.getInt64("rows").getValue(),
            document.getBoolean("finished").getValue(), document.getInt32("ranges", new BsonInt32(0)).getValue());
    }

    static byte[] toBytes(BsonDocument document) {
        RawBsonDocument raw = new RawBsonDocument(document, CODEC);
        byte[] bytes = new byte[raw.getByteLength()];
        System.arraycopy(raw.getBackingArray(), raw.getByteOffset(), bytes, 0, bytes.length);
        return bytes;
    }
}
