package dev.ferry.testkit.mongo;

import java.util.List;
import java.util.function.Supplier;

import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * Receives every write from mongo-java-server's collections (its {@link Oplog} extension point, called while the
 * collection is still locked) and records it in the {@link ChangeLog} as the change event MongoDB would emit; a
 * write also tells the {@link SortedDocuments}.
 */
final class ChangeRecordingOplog implements Oplog {

    /** Reads a document as it is now, for post-images. */
    interface DocumentLookup {
        Document find(Namespace namespace, Object id);
    }

    private final ChangeLog changeLog;
    private final DocumentLookup lookup;
    private final SortedDocuments sortedDocuments;
    private final ChangeStreamImages images;
    private final ShardKeys shardKeys;
    /** The events of the transaction whose write this thread is running, held back until it commits. */
    private final ThreadLocal<List<ChangeEvent.Draft>> transaction = new ThreadLocal<>();
    /** Whether the write this thread is running is one no change stream sees (a chunk's migration). */
    private final ThreadLocal<Boolean> silent = ThreadLocal.withInitial(() -> false);

    ChangeRecordingOplog(ChangeLog changeLog, DocumentLookup lookup, SortedDocuments sortedDocuments,
                         ChangeStreamImages images, ShardKeys shardKeys) {
        this.changeLog = changeLog;
        this.lookup = lookup;
        this.sortedDocuments = sortedDocuments;
        this.images = images;
        this.shardKeys = shardKeys;
    }

    private void record(ChangeEvent.Draft draft) {
        if (silent.get()) {
            return;
        }
        List<ChangeEvent.Draft> open = transaction.get();
        if (open != null) {
            open.add(draft);
        } else {
            changeLog.append(draft);
        }
    }

    /** Runs one write of a transaction: the events it causes go to {@code events} instead of the log. */
    <T> T inTransaction(List<ChangeEvent.Draft> events, Supplier<T> write) {
        transaction.set(events);
        try {
            return write.get();
        } finally {
            transaction.remove();
        }
    }

    /**
     * Runs a write no change stream sees, as a shard's oplog marks a chunk migration's writes {@code fromMigrate}
     * and mongos hides them.
     */
    <T> T silently(Supplier<T> write) {
        silent.set(true);
        try {
            return write.get();
        } finally {
            silent.set(false);
        }
    }

    /** Commits a transaction's events: all at one cluster time, in statement order, as MongoDB's oplog has them. */
    void commit(List<ChangeEvent.Draft> events) {
        if (!events.isEmpty()) {
            changeLog.appendAll(events);
        }
    }

    @Override
    public void handleInsert(String namespace, List<Document> documents) {
        sortedDocuments.changed(namespace);
        Namespace ns = Namespace.parse(namespace);
        if (isInternal(ns)) {
            return;
        }
        for (Document document : documents) {
            images.changed(ns, document.get("_id"), document);
            record(ChangeEvent.Draft.of(OperationType.INSERT, ns, document.get("_id"), document.cloneDeeply())
                .withShardKey(shardKeys.of(ns, document)));
        }
    }

    @Override
    public void handleUpdate(String namespace, Document selector, Document update, List<Object> modifiedIds) {
        sortedDocuments.changed(namespace);
        Namespace ns = Namespace.parse(namespace);
        if (isInternal(ns)) {
            return;
        }
        for (Object id : modifiedIds) {
            recordUpdate(ns, id, update);
        }
    }

    /** Records an update or replacement of one document that has already been written. */
    void recordUpdate(Namespace ns, Object id, Document update) {
        sortedDocuments.changed(ns.fullName());
        Document postImage = lookup.find(ns, id);
        if (postImage == null) {
            return;
        }
        Document preImage = images.changed(ns, id, postImage);
        Document key = shardKeys.of(ns, postImage);
        if (UpdateDescriptions.isReplacement(update)) {
            record(ChangeEvent.Draft.of(OperationType.REPLACE, ns, id, postImage).withPreImage(preImage)
                .withShardKey(key));
        } else {
            record(new ChangeEvent.Draft(OperationType.UPDATE, ns, id, postImage,
                UpdateDescriptions.describe(update, postImage), null, preImage, key));
        }
    }

    @Override
    public void handleDelete(String namespace, Document query, List<Object> deletedIds) {
        sortedDocuments.changed(namespace);
        Namespace ns = Namespace.parse(namespace);
        if (isInternal(ns)) {
            return;
        }
        for (Object id : deletedIds) {
            record(ChangeEvent.Draft.of(OperationType.DELETE, ns, id, null).withPreImage(images.changed(ns, id, null))
                .withShardKey(shardKeys.deleted(ns, id)));
        }
    }

    @Override
    public void handleDropCollection(String namespace) {
        sortedDocuments.changed(namespace);
        Namespace ns = Namespace.parse(namespace);
        if (!isInternal(ns)) {
            record(ChangeEvent.Draft.of(OperationType.DROP, ns, null, null));
        }
    }

    void recordRename(Namespace from, Namespace to) {
        sortedDocuments.changed(from.fullName());
        sortedDocuments.changed(to.fullName());
        if (!isInternal(from)) {
            record(new ChangeEvent.Draft(OperationType.RENAME, from, null, null, null, to));
        }
    }

    void recordDropDatabase(String database) {
        sortedDocuments.databaseChanged(database);
        Namespace ns = Namespace.database(database);
        if (!isInternal(ns)) {
            record(ChangeEvent.Draft.of(OperationType.DROP_DATABASE, ns, null, null));
        }
    }

    @Override
    public Cursor createCursor(Document changeStreamDocument, String namespace, Aggregation aggregation) {
        throw new IllegalStateException("change streams are served by ReplicaSetBackend, not by the oplog");
    }

    /** MongoDB's change streams never report the admin, local and config databases or system collections. */
    static boolean isInternal(Namespace ns) {
        return ns.db().equals("admin") || ns.db().equals("local") || ns.db().equals("config")
            || (ns.coll() != null && ns.coll().startsWith("system."));
    }
}
