package dev.ferry.job.sync;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Checkpointed form of a {@link SyncRecord}: the committer's state holds records until it has committed them. */
public final class SyncRecordSerializer implements SimpleVersionedSerializer<SyncRecord> {

    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SyncRecord record) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeUTF(record.pipeId());
        out.writeUTF(record.pipe());
        out.writeUTF(record.jobId());
        out.writeUTF(record.writer());
        out.writeLong(record.checkpointId());
        out.writeInt(record.tables().size());
        for (TableSync table : record.tables()) {
            out.writeUTF(table.table());
            out.writeLong(table.loadId());
            out.writeLong(table.snapshot());
            out.writeLong(table.inserts());
            out.writeLong(table.updates());
            out.writeLong(table.replaces());
            out.writeLong(table.deletes());
            out.writeLong(table.bytes());
            out.writeLong(table.mismatches());
            out.writeUTF(table.mismatchExample());
            out.writeLong(table.writeMillis());
            out.writeLong(table.firstVersion());
            out.writeLong(table.lastVersion());
            out.writeInt(table.rangesDone());
            out.writeInt(table.ranges());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public SyncRecord deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown sync record version " + version);
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String pipeId = in.readUTF();
        String pipe = in.readUTF();
        String jobId = in.readUTF();
        String writer = in.readUTF();
        long checkpointId = in.readLong();
        int count = in.readInt();
        List<TableSync> tables = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tables.add(new TableSync(in.readUTF(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readUTF(), in.readLong(),
                in.readLong(), in.readLong(), in.readInt(), in.readInt()));
        }
        return new SyncRecord(pipeId, pipe, jobId, writer, checkpointId, tables);
    }
}
