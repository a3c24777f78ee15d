package dev.ferry.job.snapshot;

import java.util.ArrayList;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonValue;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;

/**
 * Splits a collection into {@code _id} ranges of about {@code rowsPerPartition} documents: the collection's
 * estimated count says how many, and a {@code $sample} of {@code _id}s, sorted by the server in BSON order, gives
 * the bounds. This works on replica sets and sharded clusters of any MongoDB from 4.4, for {@code _id}s of any
 * type and mix of types, and needs no privilege beyond reading (unlike {@code splitVector}). The ranges are only
 * as even as the sample: every document still falls in exactly one.
 */
final class SamplePartitioner implements Partitioner {

    /** Samples taken per range: the bounds are every tenth sampled {@code _id}. */
    static final int SAMPLES_PER_PARTITION = 10;
    /** No collection is split into more ranges than this, whatever its size. */
    static final int MAX_PARTITIONS = 10_000;

    private final MongoClient client;
    private final int rowsPerPartition;

    SamplePartitioner(MongoClient client, int rowsPerPartition) {
        this.client = client;
        this.rowsPerPartition = rowsPerPartition;
    }

    @Override
    public List<SnapshotSplit> split(SnapshotLoad load) {
        MongoCollection<BsonDocument> collection = client.getDatabase(load.database())
            .getCollection(load.collection(), BsonDocument.class);
        long count = collection.estimatedDocumentCount();
        int partitions = (int) Math.min(MAX_PARTITIONS, (count + rowsPerPartition - 1) / rowsPerPartition);
        return SnapshotSplit.ranges(load.key(), partitions <= 1 ? List.of() : bounds(collection, partitions));
    }

    @Override
    public void close() {
        client.close();
    }

    private static List<BsonValue> bounds(MongoCollection<BsonDocument> collection, int partitions) {
        List<BsonDocument> pipeline = List.of(
            new BsonDocument("$sample", new BsonDocument("size", new BsonInt32(partitions * SAMPLES_PER_PARTITION))),
            new BsonDocument("$project", new BsonDocument("_id", new BsonInt32(1))),
            new BsonDocument("$sort", new BsonDocument("_id", new BsonInt32(1))));
        List<BsonValue> sampled = new ArrayList<>();
        collection.aggregate(pipeline).allowDiskUse(true).forEach(document -> sampled.add(document.get("_id")));
        List<BsonValue> bounds = new ArrayList<>();
        for (int i = SAMPLES_PER_PARTITION; i < sampled.size(); i += SAMPLES_PER_PARTITION) {
            BsonValue bound = sampled.get(i);
            // a sample may hold the same _id twice (a random cursor on a busy collection): no empty ranges
            if (bounds.isEmpty() || !bounds.get(bounds.size() - 1).equals(bound)) {
                bounds.add(bound);
            }
        }
        return bounds;
    }
}
