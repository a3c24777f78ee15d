package dev.ferry.job.cdc;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;

/** The collections a pipe replicates and the table each one goes to. */
public final class WatchedCollections implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, String> tableByNamespace;

    public WatchedCollections(Map<String, String> tableByNamespace) {
        this.tableByNamespace = new LinkedHashMap<>(tableByNamespace);
    }

    /** The table of the collection {@code db.coll}, or null when the pipe does not replicate it. */
    public String tableOf(String db, String coll) {
        return tableByNamespace.get(db + "." + coll);
    }

    /** A {@code $match} stage that keeps only the changes of the watched collections. */
    public BsonDocument matchStage() {
        BsonArray namespaces = new BsonArray();
        for (String namespace : tableByNamespace.keySet()) {
            int dot = namespace.indexOf('.');
            namespaces.add(new BsonDocument("ns.db", new BsonString(namespace.substring(0, dot)))
                .append("ns.coll", new BsonString(namespace.substring(dot + 1))));
        }
        return new BsonDocument("$match", new BsonDocument("$or", namespaces));
    }
}
