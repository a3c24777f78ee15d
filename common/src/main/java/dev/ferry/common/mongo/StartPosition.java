package dev.ferry.common.mongo;

import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;

import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoClient;

/**
 * The cluster time from which a new pipe reads changes, captured before its snapshot begins: the deployment's
 * operation time T is that of the newest write the snapshot will see, so changes are read from just after T.
 * Every write the snapshot might miss comes later, and the change stream delivers it; none it saw is read twice.
 */
public final class StartPosition {

    private StartPosition() {
    }

    /** The cluster time just after the deployment's current operation time. */
    public static BsonTimestamp capture(MongoClient client) {
        return new BsonTimestamp(operationTime(client).getValue() + 1);
    }

    /** The deployment's current operation time (its cluster time when the reply has no operation time). */
    static BsonTimestamp operationTime(MongoClient client) {
        try (ClientSession session = client.startSession()) {
            client.getDatabase("admin").runCommand(session, new Document("ping", 1));
            BsonTimestamp operationTime = session.getOperationTime();
            if (operationTime != null) {
                return operationTime;
            }
            BsonDocument clusterTime = session.getClusterTime();
            if (clusterTime != null && clusterTime.isTimestamp("clusterTime")) {
                return clusterTime.getTimestamp("clusterTime");
            }
        }
        throw new IllegalStateException("MongoDB reported no cluster time: it is not a replica set or sharded cluster");
    }
}
