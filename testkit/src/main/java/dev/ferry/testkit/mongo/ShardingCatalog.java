package dev.ferry.testkit.mongo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * The cluster's metadata, as the config servers keep it: each database's primary shard (where its unsharded
 * collections live), each sharded collection's key and chunks (ranges of the key, each on one shard). Read through
 * the router as {@code config.databases}, {@code config.collections}, {@code config.chunks} and
 * {@code config.shards}.
 */
final class ShardingCatalog {

    /** A range of shard keys, {@code [min, max)}, and the shard that holds its documents. */
    record Chunk(ObjectId id, Document min, Document max, int shard) {

        Chunk on(int newShard) {
            return new Chunk(id, min, max, newShard);
        }
    }

    /** A sharded collection: its key, its identity, and its chunks in key order. */
    record ShardedCollection(Namespace namespace, ShardKeyPattern key, UUID uuid, ObjectId epoch, Instant sharded,
                             List<Chunk> chunks) {

        /** The chunk holding {@code shardKey}. */
        Chunk chunkOf(Document shardKey) {
            for (Chunk chunk : chunks) {
                if (key.compare(shardKey, chunk.min()) >= 0 && key.compare(shardKey, chunk.max()) < 0) {
                    return chunk;
                }
            }
            throw new IllegalStateException("no chunk holds " + shardKey.toString() + " in " + namespace.fullName());
        }
    }

    private final List<String> shardNames;
    private final List<String> shardHosts;
    private final Map<String, Integer> primaries = new LinkedHashMap<>();
    private final Map<Namespace, ShardedCollection> collections = new LinkedHashMap<>();

    ShardingCatalog(List<String> shardNames, List<String> shardHosts) {
        this.shardNames = List.copyOf(shardNames);
        this.shardHosts = List.copyOf(shardHosts);
    }

    int shardCount() {
        return shardNames.size();
    }

    String shardName(int shard) {
        return shardNames.get(shard);
    }

    int shardNamed(String name) {
        int index = shardNames.indexOf(name);
        if (index < 0) {
            throw new MongoServerError(70, "ShardNotFound", "no shard named " + name + "; listShards lists them");
        }
        return index;
    }

    /** The database's primary shard, chosen when the database is first used: the shards in turn. */
    synchronized int primaryOf(String database) {
        return primaries.computeIfAbsent(database, db -> primaries.size() % shardNames.size());
    }

    synchronized void setPrimary(String database, int shard) {
        primaries.put(database, shard);
    }

    synchronized Optional<ShardedCollection> sharded(Namespace namespace) {
        return Optional.ofNullable(collections.get(namespace));
    }

    synchronized void shard(ShardedCollection collection) {
        if (collections.containsKey(collection.namespace())) {
            throw new MongoServerError(20, "AlreadyInitialized", "sharding already enabled for collection "
                + collection.namespace().fullName());
        }
        collections.put(collection.namespace(), collection);
    }

    synchronized void dropped(Namespace namespace) {
        if (namespace.coll() == null) {
            collections.keySet().removeIf(ns -> ns.db().equals(namespace.db()));
        } else {
            collections.remove(namespace);
        }
    }

    /** Splits the chunk that holds {@code middle} at it. */
    synchronized void split(Namespace namespace, Document middle) {
        ShardedCollection collection = require(namespace);
        Chunk chunk = collection.chunkOf(middle);
        if (collection.key().compare(chunk.min(), middle) == 0) {
            throw new MongoServerError(2, "BadValue", "cannot split on the chunk's own lower bound "
                + middle.toString());
        }
        List<Chunk> chunks = new ArrayList<>(collection.chunks());
        int at = chunks.indexOf(chunk);
        chunks.set(at, new Chunk(chunk.id(), chunk.min(), middle, chunk.shard()));
        chunks.add(at + 1, new Chunk(new ObjectId(), middle, chunk.max(), chunk.shard()));
        collections.put(namespace, withChunks(collection, chunks));
    }

    /** The chunk now held by {@code shard}. */
    synchronized void moved(Namespace namespace, Chunk chunk, int shard) {
        ShardedCollection collection = require(namespace);
        List<Chunk> chunks = new ArrayList<>(collection.chunks());
        chunks.set(chunks.indexOf(chunk), chunk.on(shard));
        collections.put(namespace, withChunks(collection, chunks));
    }

    ShardedCollection require(Namespace namespace) {
        return sharded(namespace).orElseThrow(() -> new MongoServerError(61, "ShardKeyNotFound",
            namespace.fullName() + " is not sharded"));
    }

    private static ShardedCollection withChunks(ShardedCollection collection, List<Chunk> chunks) {
        return new ShardedCollection(collection.namespace(), collection.key(), collection.uuid(),
            collection.epoch(), collection.sharded(), List.copyOf(chunks));
    }

    /** The documents of a {@code config} collection, as the config servers have them. */
    synchronized List<Document> configDocuments(String collection) {
        List<Document> documents = new ArrayList<>();
        switch (collection) {
            case "shards" -> {
                for (int i = 0; i < shardNames.size(); i++) {
                    documents.add(new Document("_id", shardNames.get(i)).append("host", shardHosts.get(i))
                        .append("state", 1));
                }
            }
            case "databases" -> primaries.forEach((database, shard) -> documents.add(new Document("_id", database)
                .append("primary", shardNames.get(shard)).append("partitioned", true)));
            case "collections" -> collections.values().forEach(sharded -> documents.add(new Document("_id",
                sharded.namespace().fullName()).append("lastmodEpoch", sharded.epoch())
                .append("lastmod", sharded.sharded()).append("key", sharded.key().pattern())
                .append("unique", false).append("uuid", sharded.uuid()).append("noBalance", true)));
            case "chunks" -> collections.values().forEach(sharded -> {
                int version = 1;
                for (Chunk chunk : sharded.chunks()) {
                    documents.add(new Document("_id", chunk.id()).append("uuid", sharded.uuid())
                        .append("min", chunk.min()).append("max", chunk.max())
                        .append("shard", shardNames.get(chunk.shard()))
                        .append("lastmod", new BsonTimestamp(((long) version++) << 32))
                        .append("history", List.of()));
                }
            });
            default -> {
            }
        }
        return documents;
    }
}
