package dev.ferry.job.snapshot;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;

import dev.ferry.common.encoding.ByteBuilder;
import dev.ferry.common.encoding.DocumentIds;
import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.Operation;

/**
 * Reads its splits one after the other, a cursor batch per fetch, on the reader's fetcher thread: each split as an
 * index range ({@code min}/{@code max} with the {@code _id} index as hint, in index order), the documents as raw
 * BSON turned straight into their rows' JSON, so that the task thread only writes them out.
 */
final class SnapshotSplitReader implements SplitReader<SnapshotRecord, SnapshotSplit> {

    private static final BsonDocument ID_INDEX = new BsonDocument("_id", new BsonInt32(1));
    private static final int JSON_BUFFER_BYTES = 64 * 1024;

    private final MongoClient client;
    private final Map<String, SnapshotLoad> loads;
    private final int batchSize;
    private final Deque<SnapshotSplit> splits = new ArrayDeque<>();
    private final ByteBuilder json = new ByteBuilder(JSON_BUFFER_BYTES);
    private SnapshotSplit current;
    private MongoCursor<RawBsonDocument> cursor;

    SnapshotSplitReader(MongoClient client, Map<String, SnapshotLoad> loads, int batchSize) {
        this.client = client;
        this.loads = loads;
        this.batchSize = batchSize;
    }

    @Override
    public RecordsWithSplitIds<SnapshotRecord> fetch() {
        RecordsBySplits.Builder<SnapshotRecord> records = new RecordsBySplits.Builder<>();
        if (current == null) {
            current = splits.poll();
            if (current == null) {
                return records.build();
            }
            cursor = open(current);
        }
        if (!cursor.hasNext()) {
            records.add(current.splitId(), SnapshotRecord.END);
            records.addFinishedSplit(current.splitId());
            closeCursor();
            current = null;
            return records.build();
        }
        SnapshotLoad load = loads.get(current.loadKey());
        do {
            RawBsonDocument document = cursor.next();
            BsonValue id = document.get("_id");
            // min is inclusive: a split resumed after an _id reads that document first, already emitted
            if (current.after() == null || !id.equals(current.after())) {
                records.add(current.splitId(), new SnapshotRecord(id, row(load, id, document)));
            }
        } while (cursor.available() > 0);
        return records.build();
    }

    private MongoCursor<RawBsonDocument> open(SnapshotSplit split) {
        SnapshotLoad load = loads.get(split.loadKey());
        BsonValue from = split.after() != null ? split.after() : split.min();
        return client.getDatabase(load.database()).getCollection(load.collection(), RawBsonDocument.class).find()
            .min(new BsonDocument("_id", from))
            .max(new BsonDocument("_id", split.max()))
            .hint(ID_INDEX)
            .sort(ID_INDEX)
            .batchSize(batchSize)
            .cursor();
    }

    private ChangeRow row(SnapshotLoad load, BsonValue id, RawBsonDocument document) {
        ChangeRow row = load.rows().row(Operation.SNAPSHOT, DocumentIds.toColumn(id), document, load.version(), json);
        json.shrinkTo(JSON_BUFFER_BYTES);
        return row;
    }

    @Override
    public void handleSplitsChanges(SplitsChange<SnapshotSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("the snapshot only adds splits, not " + change);
        }
        splits.addAll(change.splits());
    }

    @Override
    public void wakeUp() {
        // a fetch returns after one cursor batch: nothing to interrupt
    }

    private void closeCursor() {
        if (cursor != null) {
            cursor.close();
            cursor = null;
        }
    }

    @Override
    public void close() {
        closeCursor();
        client.close();
    }
}
