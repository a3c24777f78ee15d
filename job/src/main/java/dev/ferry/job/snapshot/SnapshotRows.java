package dev.ferry.job.snapshot;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.mongodb.source.reader.deserializer.MongoDeserializationSchema;
import org.bson.BsonDocument;

import dev.ferry.common.encoding.BsonJson;
import dev.ferry.common.encoding.DocumentIds;
import dev.ferry.job.row.ChangeRow;

/**
 * Turns a document read by the snapshot into its row. Every snapshot row has the same version, just below the
 * cluster time at which the change stream starts, so any change from the stream wins over it.
 */
public final class SnapshotRows implements MongoDeserializationSchema<ChangeRow> {

    private static final long serialVersionUID = 1L;
    public static final String OPERATION = "snapshot";

    private final String table;
    private final long snapshotVersion;

    public SnapshotRows(String table, long snapshotVersion) {
        this.table = table;
        this.snapshotVersion = snapshotVersion;
    }

    @Override
    public ChangeRow deserialize(BsonDocument document) {
        return new ChangeRow(table, OPERATION, DocumentIds.toColumn(document.get("_id")), BsonJson.encode(document),
            snapshotVersion, false);
    }

    @Override
    public TypeInformation<ChangeRow> getProducedType() {
        return TypeInformation.of(ChangeRow.class);
    }
}
