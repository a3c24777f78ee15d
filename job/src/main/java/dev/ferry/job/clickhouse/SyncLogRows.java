package dev.ferry.job.clickhouse;

import java.nio.charset.StandardCharsets;

import dev.ferry.common.Versions;
import dev.ferry.common.encoding.ByteBuilder;
import dev.ferry.common.sql.SyncLogTable;
import dev.ferry.job.sync.SyncRecord;
import dev.ferry.job.sync.TableSync;

/**
 * A sync record's rows of the sync log in RowBinary, one per table, in the order of
 * {@link SyncLogTable#WRITTEN_COLUMNS}: Strings as a length and the bytes, UInt64/Int64 as eight bytes and
 * UInt32/DateTime as four, little-endian.
 */
final class SyncLogRows {

    private SyncLogRows() {
    }

    static ByteBuilder of(SyncRecord record, long committedMillis) {
        ByteBuilder out = new ByteBuilder(256 * Math.max(1, record.tables().size()));
        for (TableSync table : record.tables()) {
            string(out, record.pipeId());
            string(out, record.pipe());
            string(out, record.jobId());
            out.appendInt64LittleEndian(record.checkpointId());
            string(out, record.writer());
            string(out, table.table());
            out.appendInt64LittleEndian(table.loadId());
            out.appendInt64LittleEndian(committedMillis);
            out.appendInt64LittleEndian(table.snapshot());
            out.appendInt64LittleEndian(table.inserts());
            out.appendInt64LittleEndian(table.updates());
            out.appendInt64LittleEndian(table.replaces());
            out.appendInt64LittleEndian(table.deletes());
            out.appendInt64LittleEndian(table.bytes());
            out.appendInt64LittleEndian(table.mismatches());
            string(out, table.mismatchExample());
            out.appendInt64LittleEndian(table.writeMillis());
            out.appendInt64LittleEndian(table.firstVersion());
            out.appendInt64LittleEndian(table.lastVersion());
            out.appendInt32LittleEndian(dateTime(table.firstVersion()));
            out.appendInt32LittleEndian(dateTime(table.lastVersion()));
            out.appendInt32LittleEndian(table.rangesDone());
            out.appendInt32LittleEndian(table.ranges());
        }
        return out;
    }

    private static void string(ByteBuilder out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.appendVarUInt(bytes.length).append(bytes, 0, bytes.length);
    }

    /** A change's cluster time as a DateTime (seconds since the epoch); 0 without changes. */
    private static int dateTime(long version) {
        return version == 0 ? 0 : (int) Versions.clusterTimeSeconds(version);
    }
}
