package dev.ferry.job.cdc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpointed form of the enumerator's unassigned splits. */
public final class EnumeratorStateSerializer implements SimpleVersionedSerializer<List<ChangeStreamSplit>> {

    private static final int VERSION = 1;
    private final ChangeStreamSplitSerializer splits = new ChangeStreamSplitSerializer();

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(List<ChangeStreamSplit> state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(state.size());
            for (ChangeStreamSplit split : state) {
                byte[] serialized = splits.serialize(split);
                out.writeInt(serialized.length);
                out.write(serialized);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public List<ChangeStreamSplit> deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int count = in.readInt();
            List<ChangeStreamSplit> state = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] split = new byte[in.readInt()];
                in.readFully(split);
                state.add(splits.deserialize(splits.getVersion(), split));
            }
            return state;
        }
    }
}
