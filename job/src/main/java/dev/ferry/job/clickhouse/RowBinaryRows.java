package dev.ferry.job.clickhouse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import dev.ferry.common.encoding.ByteBuilder;
import dev.ferry.common.sql.SqlTemplate;
import dev.ferry.job.row.ChangeRow;

/**
 * How rows travel to ClickHouse: RowBinary, ClickHouse's own row format, of the columns below in their order, then
 * the table's typed columns (already encoded, see {@link dev.ferry.job.row.TypedColumns}). The server reads it
 * without parsing text, and the document's JSON goes in as the bytes it already is; the other columns of the table
 * ({@code _peerdb_synced_at}) take their defaults.
 */
final class RowBinaryRows {

    private static final List<String> COLUMNS = List.of("_id", "doc", "_peerdb_version", "_peerdb_is_deleted");

    private RowBinaryRows() {
    }

    /** The columns a row fills, quoted: ferry's own, then the typed columns named in {@code typed}, in that order. */
    static List<String> columns(List<String> typed) {
        return Stream.concat(COLUMNS.stream(), typed.stream()).map(SqlTemplate::quotedIdentifier).toList();
    }

    /**
     * Appends the row: two Strings (length as a variable-length integer, then the bytes), an Int64, an Int8, and
     * the typed columns' values.
     */
    static void append(ChangeRow row, ByteBuilder out) {
        byte[] id = row.id.getBytes(StandardCharsets.UTF_8);
        out.appendVarUInt(id.length).append(id, 0, id.length);
        out.appendVarUInt(row.doc.length).append(row.doc, 0, row.doc.length);
        out.appendInt64LittleEndian(row.version);
        out.append((byte) (row.deleted ? 1 : 0));
        if (row.columns != null) {
            out.append(row.columns, 0, row.columns.length);
        }
    }
}
