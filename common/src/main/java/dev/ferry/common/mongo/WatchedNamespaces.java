package dev.ferry.common.mongo;

import java.util.Collection;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;

/**
 * The change-stream stage that keeps only the changes of a pipe's collections, the same for the job's stream and
 * for the controller's look at what the job has not yet committed: both must see the same changes, in the same order,
 * for a change's place among those sharing its cluster time (its version's statement index) to agree.
 */
public final class WatchedNamespaces {

    private WatchedNamespaces() {
    }

    /** {@code $match} of the changes of the collections {@code db.collection} given. */
    public static BsonDocument matchStage(Collection<String> namespaces) {
        BsonArray matches = new BsonArray();
        for (String namespace : namespaces) {
            int dot = namespace.indexOf('.');
            matches.add(new BsonDocument("ns.db", new BsonString(namespace.substring(0, dot)))
                .append("ns.coll", new BsonString(namespace.substring(dot + 1))));
        }
        return new BsonDocument("$match", new BsonDocument("$or", matches));
    }
}
