package dev.ferry.job.cdc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpointed form of {@link ChangeStreamSplit}. */
public final class ChangeStreamSplitSerializer implements SimpleVersionedSerializer<ChangeStreamSplit> {

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ChangeStreamSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeBoolean(split.resumeToken() != null);
            if (split.resumeToken() != null) {
                out.writeUTF(split.resumeToken());
            }
            out.writeLong(split.startAtOperationTime());
            out.writeLong(split.lastClusterTime());
            out.writeInt(split.changesAtLastClusterTime());
        }
        return bytes.toByteArray();
    }

    @Override
    public ChangeStreamSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown change-stream split version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            String token = in.readBoolean() ? in.readUTF() : null;
            return new ChangeStreamSplit(token, in.readLong(), in.readLong(), in.readInt());
        }
    }
}
