package dev.ferry.job.row;

import java.io.Serializable;

import org.bson.BsonDocument;

import dev.ferry.common.JobSpec;
import dev.ferry.common.encoding.BsonJson;
import dev.ferry.common.encoding.ByteBuilder;
import dev.ferry.common.encoding.FieldExclusions;

/**
 * How a document becomes a row of its table, the same for the snapshot and the change stream: its JSON without the
 * excluded fields for {@code doc}, and its typed columns' values.
 */
public record TableRows(String table, FieldExclusions excluded, TypedColumns columns) implements Serializable {

    /** The JSON of a deleted document's row. */
    public static final String DELETED_DOC = "{}";

    public static TableRows of(JobSpec.Table table) {
        return new TableRows(table.table(), table.exclusions(), TypedColumns.of(table));
    }

    /** Rows of {@code table} with no exclusions and no typed columns. */
    public static TableRows plain(String table) {
        return new TableRows(table, FieldExclusions.NONE, TypedColumns.NONE);
    }

    /**
     * The row of {@code document} as {@code operation} left it at {@code version}; {@code scratch} is a buffer the
     * caller keeps between rows (its content is replaced).
     */
    public ChangeRow row(Operation operation, String id, BsonDocument document, long version, ByteBuilder scratch) {
        scratch.clear();
        BsonJson.encode(document, scratch, excluded);
        ChangeRow row = new ChangeRow(table, operation, id, scratch.toByteArray(), version, false);
        if (!columns.isEmpty()) {
            scratch.clear();
            int mismatches = columns.encodeKey(document, scratch);
            row.keyLength = scratch.size();
            mismatches += columns.encodeRest(document, scratch);
            row.columns = scratch.toByteArray();
            row.mismatches = mismatches;
        }
        return row;
    }

    /** The row saying the document {@code id} was deleted at {@code version}: its typed columns hold defaults. */
    public ChangeRow deletion(String id, long version) {
        ChangeRow row = new ChangeRow(table, Operation.DELETE, id, DELETED_DOC, version, true);
        if (!columns.isEmpty()) {
            ByteBuilder defaults = new ByteBuilder(64);
            // the key's defaults stand in until the job puts the document's last key in their place
            row.keyLength = columns.encodeDefaults(defaults);
            row.columns = defaults.toByteArray();
        }
        return row;
    }
}
