package dev.ferry.job.clickhouse;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.ferry.common.encoding.ByteBuilder;
import dev.ferry.job.row.ChangeRow;

/**
 * How rows travel to ClickHouse: RowBinary, ClickHouse's own row format, of the columns below in their order.
 * The server reads it without parsing text, and the document's JSON goes in as the bytes it already is; the
 * other columns of the table ({@code _peerdb_synced_at}) take their defaults.
 */
final class RowBinaryRows {

    static final List<String> COLUMNS = List.of("`_id`", "`doc`", "`_peerdb_version`", "`_peerdb_is_deleted`");

    private RowBinaryRows() {
    }

    /** Appends the row: two Strings (length as a variable-length integer, then the bytes), an Int64, an Int8. */
    static void append(ChangeRow row, ByteBuilder out) {
        byte[] id = row.id.getBytes(StandardCharsets.UTF_8);
        out.appendVarUInt(id.length).append(id, 0, id.length);
        out.appendVarUInt(row.doc.length).append(row.doc, 0, row.doc.length);
        out.appendInt64LittleEndian(row.version);
        out.append((byte) (row.deleted ? 1 : 0));
    }
}
