package dev.ferry.testkit.mongo;

import de.bwaldvogel.mongo.bson.Document;

/**
 * One entry of the change log, as the emulator recorded it when the write happened.
 *
 * @param namespace         the collection written ({@code coll} is null for {@code dropDatabase})
 * @param documentId        the {@code _id} of the document changed; null for collection and database events
 * @param postImage         the document after the change (insert, update, replace); null otherwise
 * @param preImage          the document before the change (update, replace, delete) in a collection that keeps
 *                          images; null otherwise
 * @param updateDescription {@code updatedFields}/{@code removedFields}/{@code truncatedArrays} of an update
 * @param renamedTo         the new namespace of a {@code rename}
 * @param shardKey          on a shard, the document's shard key fields other than {@code _id} (its
 *                          {@code documentKey} has them before {@code _id}); null elsewhere
 */
record ChangeEvent(ChangeLogPosition position, long wallTimeMillis, OperationType operationType,
                   Namespace namespace, Object documentId, Document postImage, Document updateDescription,
                   Namespace renamedTo, Document preImage, Document shardKey) {

    /** What the emulator records before the log gives it a position. */
    record Draft(OperationType operationType, Namespace namespace, Object documentId, Document postImage,
                 Document updateDescription, Namespace renamedTo, Document preImage, Document shardKey) {

        Draft(OperationType operationType, Namespace namespace, Object documentId, Document postImage,
              Document updateDescription, Namespace renamedTo) {
            this(operationType, namespace, documentId, postImage, updateDescription, renamedTo, null, null);
        }

        static Draft of(OperationType operationType, Namespace namespace, Object documentId, Document postImage) {
            return new Draft(operationType, namespace, documentId, postImage, null, null);
        }

        /** The same change, with the document as it was before it. */
        Draft withPreImage(Document before) {
            return new Draft(operationType, namespace, documentId, postImage, updateDescription, renamedTo, before,
                shardKey);
        }

        /** The same change, of a document with these shard key fields (null: none besides {@code _id}). */
        Draft withShardKey(Document key) {
            return new Draft(operationType, namespace, documentId, postImage, updateDescription, renamedTo,
                preImage, key);
        }

        ChangeEvent at(ChangeLogPosition position, long wallTimeMillis) {
            return new ChangeEvent(position, wallTimeMillis, operationType, namespace, documentId, postImage,
                updateDescription, renamedTo, preImage, shardKey);
        }
    }

    /** The {@code documentKey} of the event: the shard key fields, then {@code _id}; null for other events. */
    Document documentKey() {
        if (documentId == null) {
            return null;
        }
        Document key = shardKey == null ? new Document() : new Document(shardKey);
        key.put("_id", documentId);
        return key;
    }

    Document toStoredDocument() {
        Document stored = new Document()
            .append("pos", position.key())
            .append("wall", wallTimeMillis)
            .append("op", operationType.wireName())
            .append("ns", namespace.toDocument());
        if (documentId != null) {
            stored.append("id", documentKey());
        }
        stored.putIfNotNull("post", postImage);
        stored.putIfNotNull("upd", updateDescription);
        stored.putIfNotNull("pre", preImage);
        if (renamedTo != null) {
            stored.append("to", renamedTo.toDocument());
        }
        return stored;
    }

    static ChangeEvent fromStoredDocument(Document stored) {
        Document id = (Document) stored.get("id");
        Document to = (Document) stored.get("to");
        Document shardKey = null;
        if (id != null && id.size() > 1) {
            shardKey = new Document(id);
            shardKey.remove("_id");
        }
        return new ChangeEvent(
            ChangeLogPosition.fromKey((String) stored.get("pos")),
            ((Number) stored.get("wall")).longValue(),
            OperationType.fromWireName((String) stored.get("op")),
            Namespace.fromDocument((Document) stored.get("ns")),
            id == null ? null : id.get("_id"),
            (Document) stored.get("post"),
            (Document) stored.get("upd"),
            to == null ? null : Namespace.fromDocument(to),
            (Document) stored.get("pre"),
            shardKey);
    }
}
