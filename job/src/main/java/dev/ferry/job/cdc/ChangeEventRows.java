package dev.ferry.job.cdc;

import java.io.Serializable;
import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;

import com.mongodb.client.model.changestream.ChangeStreamDocument;

import dev.ferry.common.PipeFailure;
import dev.ferry.common.Versions;
import dev.ferry.common.encoding.ByteBuilder;
import dev.ferry.common.encoding.DocumentIds;
import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.Operation;
import dev.ferry.job.row.TableRows;

/**
 * Turns a change event into the row it leaves in its table: inserts, replaces and updates write the document as
 * it is after the change, deletes write a deletion. An update whose document was already gone when the stream
 * looked it up writes nothing: the delete that removed it follows in the stream, and an empty document must never
 * overwrite good data. A drop or rename of a watched collection becomes a row of its own ({@link Operation#DROPPED},
 * {@link Operation#RENAMED}) that no table receives: {@link SourceEvents} counts it so that the controller can tell
 * the user. A change of a watched collection that writes nothing still becomes a row, {@link Operation#POSITION}, so
 * that the sync log knows the stream has passed it: every change the stream reads reaches the sink once.
 */
public final class ChangeEventRows implements Serializable {

    private static final long serialVersionUID = 1L;

    private final WatchedCollections collections;
    private final boolean postImages;

    public ChangeEventRows(WatchedCollections collections) {
        this(collections, false);
    }

    /** {@code postImages}: updates are read with their post-images, so an update without one is an error. */
    public ChangeEventRows(WatchedCollections collections, boolean postImages) {
        this.collections = collections;
        this.postImages = postImages;
    }

    /** The row of a change of a watched collection; empty for a change of none (a database's drop, say). */
    public Optional<ChangeRow> rowOf(ChangeStreamDocument<? extends BsonDocument> change, int statementIndex) {
        if (change.getNamespace() == null || change.getNamespace().getCollectionName() == null) {
            // dropDatabase names no collection; the drop of each of its collections came before it
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
        Operation operation = Operation.ofChange(change.getOperationTypeString());
        String id = change.getDocumentKey() == null ? null : DocumentIds.toColumn(change.getDocumentKey().get("_id"));
        ChangeRow row = operation == null ? null : switch (operation) {
            case DROPPED -> new ChangeRow(table, operation, null, change.getNamespace().getFullName(), version, false);
            case RENAMED -> new ChangeRow(table, operation, null, change.getDestinationNamespace() == null ? "?"
                : change.getDestinationNamespace().getFullName(), version, false);
            case INSERT, REPLACE, UPDATE -> id == null ? null : document(table, operation, id, change, version);
            // a table that keeps deletes (an audit or history table) keeps the row as the document last was
            case DELETE -> id == null || collections.keepsDeletes(table) ? null
                : collections.rowsOf(table).deletion(id, version);
            default -> null;
        };
        return Optional.of(row != null ? row : new ChangeRow(table, Operation.POSITION, id, TableRows.DELETED_DOC,
            version, false));
    }

    private ChangeRow document(String table, Operation operation, String id,
                               ChangeStreamDocument<? extends BsonDocument> change, long version) {
        if (postImages && operation == Operation.UPDATE && change.getFullDocument() == null) {
            // unlike a lookup that found nothing, a missing post-image does not mean a delete follows: the
            // document as this update left it is gone, and skipping the update would lose it
            throw PipeFailure.POST_IMAGE_MISSING.exception("the update of " + id + " in "
                + change.getNamespace().getFullName() + " came without its post-image", null);
        }
        return change.getFullDocument() == null ? null
            : collections.rowsOf(table).row(operation, id, change.getFullDocument(), version, new ByteBuilder(1024));
    }
}
