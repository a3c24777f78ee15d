package dev.ferry.job.cdc;

import java.io.Serializable;
import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;

import com.mongodb.client.model.changestream.ChangeStreamDocument;

import dev.ferry.common.JobGraphNames;
import dev.ferry.common.PipeFailure;
import dev.ferry.common.Versions;
import dev.ferry.common.encoding.ByteBuilder;
import dev.ferry.common.encoding.DocumentIds;
import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.TableRows;

/**
 * Turns a change event into the row it leaves in its table: inserts, replaces and updates write the document as
 * it is after the change, deletes write a deletion. An update whose document was already gone when the stream
 * looked it up writes nothing: the delete that removed it follows in the stream, and an empty document must never
 * overwrite good data. A drop or rename of a watched collection becomes a row of its own ({@link #DROPPED},
 * {@link #RENAMED}) that no table receives: {@link CountChanges} counts it so that the controller can tell the user.
 */
public final class ChangeEventRows implements Serializable {

    private static final long serialVersionUID = 1L;
    /** The operation of the row that says a watched collection was dropped (also by dropping its database). */
    public static final String DROPPED = JobGraphNames.SOURCE_DROPPED;
    /** The operation of the row that says a watched collection was renamed; its doc names the new namespace. */
    public static final String RENAMED = JobGraphNames.SOURCE_RENAMED;

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
        String operation = change.getOperationTypeString();
        if (operation.equals("drop")) {
            return Optional.of(new ChangeRow(table, DROPPED, null, change.getNamespace().getFullName(), version, false));
        }
        if (operation.equals("rename")) {
            String to = change.getDestinationNamespace() == null ? "?" : change.getDestinationNamespace().getFullName();
            return Optional.of(new ChangeRow(table, RENAMED, null, to, version, false));
        }
        if (change.getDocumentKey() == null) {
            return Optional.empty();
        }
        String id = DocumentIds.toColumn(change.getDocumentKey().get("_id"));
        if (postImages && operation.equals("update") && change.getFullDocument() == null) {
            // unlike a lookup that found nothing, a missing post-image does not mean a delete follows: the
            // document as this update left it is gone, and skipping the update would lose it
            throw PipeFailure.POST_IMAGE_MISSING.exception("the update of " + id + " in "
                + change.getNamespace().getFullName() + " came without its post-image", null);
        }
        return switch (operation) {
            case "insert", "replace", "update" -> Optional.ofNullable(change.getFullDocument())
                .map(document -> collections.rowsOf(table).row(operation, id, document, version,
                    new ByteBuilder(1024)));
            // a table that keeps deletes (an audit or history table) keeps the row as the document last was
            case "delete" -> collections.keepsDeletes(table) ? Optional.empty()
                : Optional.of(collections.rowsOf(table).deletion(operation, id, version));
            default -> Optional.empty();
        };
    }
}
