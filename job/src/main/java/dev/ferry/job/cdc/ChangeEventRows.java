package dev.ferry.job.cdc;

import java.io.Serializable;
import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;

import com.mongodb.client.model.changestream.ChangeStreamDocument;

import dev.ferry.job.encoding.BsonJson;
import dev.ferry.job.encoding.DocumentIds;
import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.Versions;

/**
 * Turns a change event into the row it leaves in its table: inserts, replaces and updates write the document as
 * it is after the change, deletes write a deletion. An update whose document was already gone when the stream
 * looked it up writes nothing: the delete that removed it follows in the stream, and an empty document must never
 * overwrite good data.
 */
public final class ChangeEventRows implements Serializable {

    private static final long serialVersionUID = 1L;
    static final String DELETED_DOC = "{}";

    private final WatchedCollections collections;

    public ChangeEventRows(WatchedCollections collections) {
        this.collections = collections;
    }

    public Optional<ChangeRow> rowOf(ChangeStreamDocument<BsonDocument> change, int statementIndex) {
        if (change.getNamespace() == null || change.getDocumentKey() == null) {
            return Optional.empty();
        }
        String table = collections.tableOf(change.getNamespace().getDatabaseName(),
            change.getNamespace().getCollectionName());
        if (table == null) {
            return Optional.empty();
        }
        BsonTimestamp clusterTime = change.getClusterTime();
        long version = Versions.of(Integer.toUnsignedLong(clusterTime.getTime()),
            Integer.toUnsignedLong(clusterTime.getInc()), statementIndex);
        String id = DocumentIds.toColumn(change.getDocumentKey().get("_id"));
        String operation = change.getOperationTypeString();
        return switch (operation) {
            case "insert", "replace", "update" -> Optional.ofNullable(change.getFullDocument())
                .map(document -> new ChangeRow(table, operation, id, BsonJson.encode(document), version, false));
            case "delete" -> Optional.of(new ChangeRow(table, operation, id, DELETED_DOC, version, true));
            default -> Optional.empty();
        };
    }
}
