package dev.ferry.job.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;

/**
 * Splits a collection sharded on ranges of {@code _id} along its chunks, as Flink CDC's sharded split strategy
 * does: the cluster's metadata ({@code config.collections}, {@code config.chunks}, read through {@code mongos})
 * gives each chunk's {@code _id} range, and each range is then read from the one shard that holds it. Any other
 * collection, unsharded, sharded on a hashed key or on a key that does not start with {@code _id} (whose chunks
 * are not {@code _id} ranges), or one whose metadata cannot be read, is split by {@code otherwise} (sampling).
 */
final class ChunkPartitioner implements Partitioner {

    private static final Logger log = LoggerFactory.getLogger(ChunkPartitioner.class);

    private final MongoClient client;
    private final Partitioner otherwise;

    ChunkPartitioner(MongoClient client, Partitioner otherwise) {
        this.client = client;
        this.otherwise = otherwise;
    }

    @Override
    public List<SnapshotSplit> split(SnapshotLoad load) {
        Optional<List<BsonValue>> bounds = chunkBounds(load);
        if (bounds.isEmpty()) {
            return otherwise.split(load);
        }
        List<SnapshotSplit> splits = SnapshotSplit.ranges(load.key(), bounds.get());
        log.info("snapshot of {}.{}: split along its {} chunks", load.database(), load.collection(),
            splits.size());
        return splits;
    }

    /** The lower bounds of the collection's chunks after the first, when it is sharded on ranges of _id. */
    private Optional<List<BsonValue>> chunkBounds(SnapshotLoad load) {
        String namespace = load.database() + "." + load.collection();
        try {
            MongoDatabase config = client.getDatabase("config");
            BsonDocument collection = config.getCollection("collections", BsonDocument.class)
                .find(Filters.eq("_id", namespace)).first();
            if (collection == null || collection.getBoolean("dropped", BsonBoolean.FALSE).getValue()
                || !isRangeOfIdFirst(collection.getDocument("key", new BsonDocument()))) {
                return Optional.empty();
            }
            // since MongoDB 5.0 chunks name their collection by uuid, before by namespace
            Bson ofCollection = collection.containsKey("uuid") ? Filters.eq("uuid", collection.get("uuid"))
                : Filters.eq("ns", namespace);
            List<BsonValue> bounds = new ArrayList<>();
            for (BsonDocument chunk : config.getCollection("chunks", BsonDocument.class).find(ofCollection)
                .projection(Projections.include("min")).sort(Sorts.ascending("min"))) {
                BsonValue min = chunk.getDocument("min").get("_id");
                if (min.getBsonType() != BsonType.MIN_KEY) {
                    bounds.add(min);
                }
            }
            return Optional.of(bounds);
        } catch (MongoException e) {
            log.warn("snapshot of {}: its chunks could not be read ({}); splitting it by sampling instead", namespace,
                e.getMessage());
            return Optional.empty();
        }
    }

    /** A shard key whose first field is {@code _id}, ascending: its chunks are ranges of {@code _id}. */
    private static boolean isRangeOfIdFirst(BsonDocument key) {
        return !key.isEmpty() && key.getFirstKey().equals("_id") && key.get("_id").isNumber()
            && key.get("_id").asNumber().intValue() == 1;
    }

    @Override
    public void close() {
        otherwise.close();
    }
}
