package dev.ferry.job.snapshot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;

/** Checkpointed form of {@link SnapshotEnumeratorState}, a BSON document. */
public final class SnapshotEnumeratorStateSerializer implements SimpleVersionedSerializer<SnapshotEnumeratorState> {

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SnapshotEnumeratorState state) {
        BsonArray remaining = new BsonArray();
        state.remaining().forEach((load, splits) -> remaining.add(new BsonDocument("load", new BsonString(load))
            .append("splits", strings(splits))));
        BsonArray unassigned = new BsonArray();
        state.unassigned().forEach(split -> unassigned.add(SnapshotSplitSerializer.toDocument(split)));
        BsonDocument rows = new BsonDocument();
        state.rowsRead().forEach((load, count) -> rows.append(load, new BsonInt64(count)));
        return SnapshotSplitSerializer.toBytes(new BsonDocument("queued", strings(state.queued()))
            .append("remaining", remaining).append("unassigned", unassigned).append("done", strings(state.done()))
            .append("rowsRead", rows));
    }

    @Override
    public SnapshotEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown snapshot enumerator state version " + version);
        }
        BsonDocument document = new RawBsonDocument(serialized).decode(new BsonDocumentCodec());
        Map<String, Set<String>> remaining = new HashMap<>();
        for (BsonValue entry : document.getArray("remaining")) {
            remaining.put(entry.asDocument().getString("load").getValue(),
                new HashSet<>(strings(entry.asDocument().getArray("splits"))));
        }
        List<SnapshotSplit> unassigned = new ArrayList<>();
        for (BsonValue split : document.getArray("unassigned")) {
            unassigned.add(SnapshotSplitSerializer.fromDocument(split.asDocument()));
        }
        Map<String, Long> rows = new HashMap<>();
        document.getDocument("rowsRead").forEach((load, count) -> rows.put(load, count.asInt64().getValue()));
        return new SnapshotEnumeratorState(strings(document.getArray("queued")), remaining, unassigned,
            new HashSet<>(strings(document.getArray("done"))), rows);
    }

    private static BsonArray strings(Iterable<String> values) {
        BsonArray array = new BsonArray();
        values.forEach(value -> array.add(new BsonString(value)));
        return array;
    }

    private static List<String> strings(BsonArray array) {
        return array.stream().map(value -> value.asString().getValue()).toList();
    }
}
