package dev.ferry.job.row;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import dev.ferry.common.JobSpec;
import dev.ferry.common.columns.ColumnType;
import dev.ferry.common.columns.ColumnType.ArrayOf;
import dev.ferry.common.encoding.ByteBuilder;

/**
 * A table's typed columns, and how a document fills them: each column takes the value at its dotted path, converted
 * to its ClickHouse type and written in RowBinary by the column's {@link ColumnEncoder}, chosen once from its type.
 * A value that does not fit (a string where a number is expected, a missing field, a number too large) becomes
 * NULL, or the type's default where the column is not nullable, and is counted as a mismatch; it never fails the
 * row. A path through an array collects the value of each element
 * when the column is an array, as MongoDB's dotted paths do.
 *
 * <p>The columns of the table's sorting or partition key come first, so that a row's key is the first
 * {@link #encodeKey} bytes of its encoded columns.
 */
public final class TypedColumns implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final TypedColumns NONE = new TypedColumns(List.of(), 0);

    private final List<Column> columns;
    private final int keyCount;

    /** A column: its name, the path of its value in a document, and how it writes the value. */
    private record Column(String name, String[] path, ColumnEncoder encoder, boolean collects)
        implements Serializable {

        static Column of(JobSpec.Column column) {
            ColumnType type = ColumnType.parse(column.type());
            return new Column(column.name(), column.path().split("\\."), ColumnEncoder.of(type),
                type instanceof ArrayOf);
        }
    }

    private TypedColumns(List<Column> columns, int keyCount) {
        this.columns = List.copyOf(columns);
        this.keyCount = keyCount;
    }

    /** The typed columns of a spec's table, its key columns first. */
    public static TypedColumns of(JobSpec.Table table) {
        if (table.columns().isEmpty()) {
            return NONE;
        }
        List<Column> ordered = new ArrayList<>();
        List<Column> others = new ArrayList<>();
        for (JobSpec.Column column : table.columns()) {
            Column compiled = Column.of(column);
            (table.keyColumns().contains(column.name()) ? ordered : others).add(compiled);
        }
        int keys = ordered.size();
        ordered.addAll(others);
        return new TypedColumns(ordered, keys);
    }

    public boolean isEmpty() {
        return columns.isEmpty();
    }

    /** The columns' names, in the order {@link #encodeKey} and {@link #encodeRest} write them. */
    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    /** Writes the key columns' values of {@code document}; answers how many did not fit. */
    public int encodeKey(BsonDocument document, ByteBuilder out) {
        return encode(document, 0, keyCount, out);
    }

    /** Writes the other columns' values of {@code document}; answers how many did not fit. */
    public int encodeRest(BsonDocument document, ByteBuilder out) {
        return encode(document, keyCount, columns.size(), out);
    }

    /**
     * Writes every column's default (NULL where nullable), the columns of a deletion; answers how many bytes the key
     * columns' took.
     */
    public int encodeDefaults(ByteBuilder out) {
        int start = out.size();
        int keyBytes = 0;
        for (int i = 0; i < columns.size(); i++) {
            if (i == keyCount) {
                keyBytes = out.size() - start;
            }
            columns.get(i).encoder().writeDefault(out);
        }
        return keyCount == columns.size() ? out.size() - start : keyBytes;
    }

    private int encode(BsonDocument document, int from, int to, ByteBuilder out) {
        int mismatches = 0;
        for (int i = from; i < to; i++) {
            Column column = columns.get(i);
            if (!column.encoder().write(valueAt(document, column.path(), 0, column.collects()), out)) {
                mismatches++;
            }
        }
        return mismatches;
    }

    /**
     * The value at {@code path} from part {@code from} on, or null when it is missing. Through an array, only for
     * an array column: the values of its elements, those that have it.
     */
    private static BsonValue valueAt(BsonValue value, String[] path, int from, boolean collect) {
        BsonValue current = value;
        for (int i = from; i < path.length; i++) {
            if (current instanceof BsonDocument document) {
                current = document.get(path[i]);
            } else if (current instanceof BsonArray array && collect) {
                BsonArray collected = new BsonArray();
                for (BsonValue element : array) {
                    BsonValue found = valueAt(element, path, i, false);
                    if (found != null) {
                        collected.add(found);
                    }
                }
                return collected;
            } else {
                return null;
            }
        }
        return current;
    }
}
