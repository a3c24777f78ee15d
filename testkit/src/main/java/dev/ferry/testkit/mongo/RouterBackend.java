package dev.ferry.testkit.mongo;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.DocumentComparator;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;

/**
 * The router of the emulated sharded cluster: a {@link MongoBackend} that answers as {@code mongos} and sends each
 * command to the shards it concerns, in-process. Writes go to the shard whose chunk holds the document's shard key
 * (unsharded collections live on their database's primary shard); queries, counts and aggregations are sent to
 * every shard and their answers gathered; change streams are the shards' streams merged in cluster-time order
 * ({@link MergedChangeStream}); a transaction that wrote on several shards commits on all of them at one cluster
 * time. The sharding commands ({@code enableSharding}, {@code shardCollection}, {@code split}, {@code moveChunk},
 * {@code listShards}) keep the {@link ShardingCatalog}, read back as the {@code config} database.
 */
final class RouterBackend implements MongoBackend {

    private static final String ADMIN = "admin";
    private static final String CONFIG = "config";
    private static final int DRAIN_BATCH = 100_000;
    private static final Set<String> EVERY_SHARD = Set.of("create", "createindexes", "dropindexes", "collmod");
    private static final Set<String> PRIMARY_RECORDS = Set.of("drop", "dropdatabase", "renamecollection");

    private final List<ReplicaSetEmulator> shards;
    private final boolean[] down;
    private final ClusterClock clock;
    private final ShardingCatalog catalog;
    private final ServerVersion version;
    private final EmulatorCursors cursors = new EmulatorCursors();
    private final Map<Namespace, ReadWriteLock> migrations = new ConcurrentHashMap<>();
    /** The shards each open transaction has written on, in the order it reached them. */
    private final Map<String, Set<Integer>> participants = new ConcurrentHashMap<>();

    RouterBackend(List<ReplicaSetEmulator> shards, ClusterClock clock, ShardingCatalog catalog,
                  ServerVersion version) {
        this.shards = List.copyOf(shards);
        this.down = new boolean[shards.size()];
        this.clock = clock;
        this.catalog = catalog;
        this.version = version;
    }

    /** Makes the router find the shard unreachable, or reachable again. */
    synchronized void setDown(int shard, boolean isDown) {
        down[shard] = isDown;
    }

    private synchronized boolean isDown(int shard) {
        return down[shard];
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        Document command = message.getDocument();
        return handleCommand(message.getChannel(), message.getDatabaseName(), command.keySet().iterator().next(),
            command);
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        Document reply = route(channel, database, command, query);
        BsonTimestamp clusterTime = new BsonTimestamp(Math.max(clock.latest(), newestShardTime()));
        EmulatorCursors.stampClusterTime(reply, clusterTime);
        return reply;
    }

    private long newestShardTime() {
        return shards.stream().mapToLong(shard -> shard.backend().changeLog().head().clusterTime()).max().orElse(0);
    }

    private Document route(Channel channel, String database, String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (database.equals(CONFIG) && name.equals("find")) {
            return configFind(query);
        }
        switch (name) {
            case "hello", "ismaster":
                return hello(command, query);
            case "buildinfo":
                return new Document("version", version.text()).append("versionArray", version.versionArray())
                    .append("gitVersion", "ferry-testkit-router").append("bits", 64)
                    .append("maxBsonObjectSize", 16 * 1024 * 1024).append("ok", 1.0);
            case "ping", "endsessions", "getparameter":
                return new Document("ok", 1.0);
            case "listshards":
                return new Document("shards", catalog.configDocuments("shards")).append("ok", 1.0);
            case "enablesharding":
                return enableSharding(query, command);
            case "shardcollection":
                return shardCollection(channel, query, command);
            case "split":
                catalog.split(Namespace.parse((String) query.get(command)), (Document) query.get("middle"));
                return new Document("ok", 1.0);
            case "movechunk":
                return moveChunk(channel, query, command);
            case "insert":
                return insert(channel, database, command, query);
            case "update":
                return update(channel, database, command, query);
            case "delete":
                return delete(channel, database, command, query);
            case "findandmodify":
                return findAndModify(channel, database, command, query);
            case "find":
                return find(channel, database, command, query);
            case "count":
                return count(channel, database, command, query);
            case "aggregate":
                return aggregate(channel, database, command, query);
            case "getmore":
                return cursors.getMore(query, ((Number) query.get(command)).longValue(), 1000);
            case "killcursors":
                return killCursors(query);
            case "committransaction":
                return commitTransaction(channel, database, command, query);
            case "aborttransaction":
                return abortTransaction(channel, database, command, query);
            case "listdatabases":
                return listDatabases(channel, command, query);
            case "listcollections":
                return listCollections(channel, database, command, query);
            case "replsetgetstatus":
                throw new MongoServerError(76, "NoReplicationEnabled", "replSetGetStatus is not supported through "
                    + "mongos: ask a shard's replica set");
            default:
                if (EVERY_SHARD.contains(name)) {
                    return everyShard(channel, database, command, query);
                }
                if (PRIMARY_RECORDS.contains(name)) {
                    return ddl(channel, database, command, query);
                }
                return on(primaryOf(database), channel, database, command, query);
        }
    }

    // ---- calling the shards

    /** The command on one shard, as the router sends it; an unreachable shard fails it as mongos reports it. */
    private Document on(int shard, Channel channel, String database, String command, Document query) {
        if (isDown(shard)) {
            throw new MongoServerError(6, "HostUnreachable", "Error connecting to shard " + catalog.shardName(shard)
                + " (" + shards.get(shard).connectionString() + "): connection refused");
        }
        Document reply = shards.get(shard).backend().handleCommand(channel, database, command, new Document(query));
        reply.remove("$clusterTime");
        reply.remove("operationTime");
        if (!(reply.get("ok") instanceof Number ok) || ok.doubleValue() != 1.0) {
            throw new MongoServerError(((Number) reply.getOrDefault("code", 8)).intValue(),
                String.valueOf(reply.get("errmsg")));
        }
        return reply;
    }

    /** Every document of a cursor reply of one shard, its later batches fetched. */
    private List<Document> drain(int shard, Channel channel, String database, Document reply) {
        List<Document> documents = new ArrayList<>();
        Document cursor = (Document) reply.get("cursor");
        @SuppressWarnings("unchecked")
        List<Document> first = (List<Document>) cursor.get("firstBatch");
        documents.addAll(first);
        long id = ((Number) cursor.get("id")).longValue();
        String collection = Namespace.parse((String) cursor.get("ns")).coll();
        while (id != 0) {
            Document more = (Document) on(shard, channel, database, "getMore", new Document("getMore", id)
                .append("collection", collection).append("batchSize", DRAIN_BATCH)).get("cursor");
            @SuppressWarnings("unchecked")
            List<Document> next = (List<Document>) more.get("nextBatch");
            documents.addAll(next);
            id = ((Number) more.get("id")).longValue();
        }
        return documents;
    }

    /** The shards a collection's documents are on: its chunks' shards, or its database's primary. */
    private List<Integer> shardsOf(Namespace namespace) {
        Optional<ShardingCatalog.ShardedCollection> sharded = catalog.sharded(namespace);
        if (sharded.isEmpty()) {
            return List.of(catalog.primaryOf(namespace.db()));
        }
        Set<Integer> holding = new LinkedHashSet<>();
        sharded.get().chunks().forEach(chunk -> holding.add(chunk.shard()));
        return new ArrayList<>(holding);
    }

    private List<Integer> allShards() {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            all.add(i);
        }
        return all;
    }

    private int primaryOf(String database) {
        return database.equals(ADMIN) || database.equals(CONFIG) ? 0 : catalog.primaryOf(database);
    }

    /** Writes to a collection wait while one of its chunks migrates. */
    private <T> T writing(Namespace namespace, Supplier<T> write) {
        ReadWriteLock lock = migrations.computeIfAbsent(namespace, ns -> new ReentrantReadWriteLock());
        lock.readLock().lock();
        try {
            return write.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The shard a document (or a query naming its whole shard key) goes to. */
    private int shardFor(Namespace namespace, Document document) {
        return catalog.sharded(namespace).map(sharded -> sharded.chunkOf(sharded.key().keyOf(document)).shard())
            .orElseGet(() -> catalog.primaryOf(namespace.db()));
    }

    /** The one shard a query targets, when it names the whole shard key (or the collection is unsharded). */
    private Optional<Integer> targetOf(Namespace namespace, Document filter) {
        Optional<ShardingCatalog.ShardedCollection> sharded = catalog.sharded(namespace);
        if (sharded.isEmpty()) {
            return Optional.of(catalog.primaryOf(namespace.db()));
        }
        return sharded.get().key().keyOfQuery(filter == null ? new Document() : filter)
            .map(key -> sharded.get().chunkOf(key).shard());
    }

    // ---- topology and sharding commands

    private Document hello(String command, Document query) {
        Document reply = new Document(command.equals("hello") ? "isWritablePrimary" : "ismaster", true);
        if (Boolean.TRUE.equals(query.get("helloOk"))) {
            reply.append("helloOk", true);
        }
        return reply.append("msg", "isdbgrid")
            .append("maxBsonObjectSize", 16 * 1024 * 1024)
            .append("maxMessageSizeBytes", 48_000_000)
            .append("maxWriteBatchSize", 100_000)
            .append("localTime", Instant.now())
            .append("logicalSessionTimeoutMinutes", 30)
            .append("connectionId", 1)
            .append("minWireVersion", 0)
            .append("maxWireVersion", version.wireVersion())
            .append("readOnly", false)
            .append("ok", 1.0);
    }

    private Document enableSharding(Document query, String command) {
        String database = (String) query.get(command);
        if (query.get("primaryShard") instanceof String shard) {
            catalog.setPrimary(database, catalog.shardNamed(shard));
        } else {
            catalog.primaryOf(database);
        }
        return new Document("ok", 1.0);
    }

    /**
     * {@code shardCollection}: a hashed key on an empty collection is split into two chunks per shard, spread over
     * the shards; any other key, or a collection with documents, starts as one chunk on the primary shard.
     */
    private Document shardCollection(Channel channel, Document query, String command) {
        Namespace namespace = Namespace.parse((String) query.get(command));
        ShardKeyPattern key = new ShardKeyPattern((Document) query.get("key"));
        int primary = catalog.primaryOf(namespace.db());
        for (int shard : allShards()) {
            shards.get(shard).backend().shardCollection(namespace, key.fields());
            try {
                on(shard, channel, namespace.db(), "create", new Document("create", namespace.coll()));
            } catch (MongoServerError exists) {
                if (exists.getCode() != 48) {
                    throw exists;
                }
            }
        }
        boolean empty = shards.get(primary).backend().documentsOf(namespace).isEmpty();
        List<ShardingCatalog.Chunk> chunks = new ArrayList<>();
        if (key.hashed() && empty) {
            int count = 2 * shards.size();
            Document min = key.min();
            for (int i = 1; i <= count; i++) {
                Document max = i == count ? key.max() : new Document(key.fields().get(0),
                    Long.MIN_VALUE + (long) ((double) i / count * Math.pow(2, 64)));
                chunks.add(new ShardingCatalog.Chunk(new ObjectId(), min, max, (i - 1) * shards.size() / count));
                min = max;
            }
        } else {
            chunks.add(new ShardingCatalog.Chunk(new ObjectId(), key.min(), key.max(), primary));
        }
        catalog.shard(new ShardingCatalog.ShardedCollection(namespace, key, UUID.randomUUID(), new ObjectId(),
            Instant.now(), List.copyOf(chunks)));
        return new Document("collectionsharded", namespace.fullName()).append("ok", 1.0);
    }

    /**
     * {@code moveChunk}: the chunk's documents are copied to the other shard and deleted from this one, both
     * without change events (as mongos hides a migration's {@code fromMigrate} entries); writes to the collection
     * wait meanwhile.
     */
    private Document moveChunk(Channel channel, Document query, String command) {
        Namespace namespace = Namespace.parse((String) query.get(command));
        ShardingCatalog.ShardedCollection sharded = catalog.require(namespace);
        ShardingCatalog.Chunk chunk;
        if (query.get("bounds") instanceof List<?> bounds) {
            chunk = sharded.chunkOf((Document) bounds.get(0));
        } else {
            chunk = sharded.chunkOf(sharded.key().keyOf((Document) query.get("find")));
        }
        int to = catalog.shardNamed((String) query.get("to"));
        if (to == chunk.shard()) {
            return new Document("millis", 0).append("ok", 1.0);
        }
        ReadWriteLock lock = migrations.computeIfAbsent(namespace, ns -> new ReentrantReadWriteLock());
        lock.writeLock().lock();
        try {
            ReplicaSetBackend from = shards.get(chunk.shard()).backend();
            ReplicaSetBackend target = shards.get(to).backend();
            List<Document> moving = new ArrayList<>();
            for (Document document : from.documentsOf(namespace)) {
                Document key = sharded.key().keyOf(document);
                if (sharded.key().compare(key, chunk.min()) >= 0 && sharded.key().compare(key, chunk.max()) < 0) {
                    moving.add(document);
                }
            }
            if (!moving.isEmpty()) {
                target.silently(() -> on(to, channel, namespace.db(), "insert", new Document("insert",
                    namespace.coll()).append("documents", moving)));
                List<Object> ids = moving.stream().map(document -> document.get("_id")).toList();
                from.silently(() -> on(chunk.shard(), channel, namespace.db(), "delete", new Document("delete",
                    namespace.coll()).append("deletes", List.of(new Document("q", new Document("_id",
                    new Document("$in", ids))).append("limit", 0)))));
            }
            catalog.moved(namespace, chunk, to);
        } finally {
            lock.writeLock().unlock();
        }
        return new Document("millis", 1).append("ok", 1.0);
    }

    // ---- writes

    /** Inserts, each document on the shard its key belongs to. */
    private Document insert(Channel channel, String database, String command, Document query) {
        Namespace namespace = new Namespace(database, (String) query.get(command));
        List<?> documents = (List<?>) query.get("documents");
        return writing(namespace, () -> {
            Map<Integer, List<Integer>> byShard = new LinkedHashMap<>();
            for (int i = 0; i < documents.size(); i++) {
                byShard.computeIfAbsent(shardFor(namespace, (Document) documents.get(i)), shard -> new ArrayList<>())
                    .add(i);
            }
            int inserted = 0;
            List<Document> errors = new ArrayList<>();
            for (Map.Entry<Integer, List<Integer>> part : byShard.entrySet()) {
                Document sub = new Document(query);
                sub.put("documents", part.getValue().stream().map(documents::get).toList());
                Document reply = sendWrite(part.getKey(), channel, database, command, sub, query);
                inserted += ((Number) reply.getOrDefault("n", 0)).intValue();
                collectErrors(reply, part.getValue(), errors);
            }
            return writeReply(inserted, errors);
        });
    }

    /** Updates: a statement naming the shard key goes to its shard, any other to every shard of the collection. */
    private Document update(Channel channel, String database, String command, Document query) {
        Namespace namespace = new Namespace(database, (String) query.get(command));
        List<?> statements = (List<?>) query.get("updates");
        return writing(namespace, () -> {
            int matched = 0;
            int modified = 0;
            List<Document> upserted = new ArrayList<>();
            List<Document> errors = new ArrayList<>();
            for (int i = 0; i < statements.size(); i++) {
                Document statement = (Document) statements.get(i);
                Document filter = (Document) statement.get("q");
                Optional<Integer> target = targetOf(namespace, filter);
                if (target.isEmpty() && Boolean.TRUE.equals(statement.get("upsert"))) {
                    throw new MongoServerError(61, "ShardKeyNotFound", "an upsert on the sharded collection "
                        + namespace.fullName() + " must name the whole shard key in its query");
                }
                boolean multi = Boolean.TRUE.equals(statement.get("multi"));
                for (int shard : target.map(List::of).orElseGet(() -> shardsOf(namespace))) {
                    Document sub = new Document(query);
                    sub.put("updates", List.of(statement));
                    Document reply = sendWrite(shard, channel, database, command, sub, query);
                    int n = ((Number) reply.getOrDefault("n", 0)).intValue();
                    matched += n;
                    modified += ((Number) reply.getOrDefault("nModified", 0)).intValue();
                    if (reply.get("upserted") instanceof List<?> ups) {
                        for (Object up : ups) {
                            upserted.add(new Document((Document) up).append("index", i));
                        }
                    }
                    collectErrors(reply, List.of(i), errors);
                    if (n > 0 && !multi) {
                        break;
                    }
                }
            }
            Document reply = writeReply(matched, errors).append("nModified", modified);
            if (!upserted.isEmpty()) {
                reply.put("upserted", upserted);
            }
            return reply;
        });
    }

    /** Deletes: a statement naming the shard key goes to its shard, any other to every shard of the collection. */
    private Document delete(Channel channel, String database, String command, Document query) {
        Namespace namespace = new Namespace(database, (String) query.get(command));
        List<?> statements = (List<?>) query.get("deletes");
        return writing(namespace, () -> {
            int deleted = 0;
            List<Document> errors = new ArrayList<>();
            for (int i = 0; i < statements.size(); i++) {
                Document statement = (Document) statements.get(i);
                boolean one = statement.get("limit") instanceof Number limit && limit.intValue() == 1;
                for (int shard : targetOf(namespace, (Document) statement.get("q")).map(List::of)
                    .orElseGet(() -> shardsOf(namespace))) {
                    Document sub = new Document(query);
                    sub.put("deletes", List.of(statement));
                    Document reply = sendWrite(shard, channel, database, command, sub, query);
                    int n = ((Number) reply.getOrDefault("n", 0)).intValue();
                    deleted += n;
                    collectErrors(reply, List.of(i), errors);
                    if (n > 0 && one) {
                        break;
                    }
                }
            }
            return writeReply(deleted, errors);
        });
    }

    private Document findAndModify(Channel channel, String database, String command, Document query) {
        Namespace namespace = new Namespace(database, (String) query.get(command));
        return writing(namespace, () -> {
            Optional<Integer> target = targetOf(namespace, (Document) query.get("query"));
            if (target.isEmpty() && Boolean.TRUE.equals(query.get("upsert"))) {
                throw new MongoServerError(61, "ShardKeyNotFound", "findAndModify with upsert on the sharded "
                    + "collection " + namespace.fullName() + " must name the whole shard key in its query");
            }
            Document last = null;
            for (int shard : target.map(List::of).orElseGet(() -> shardsOf(namespace))) {
                last = sendWrite(shard, channel, database, command, query, query);
                if (last.get("value") != null) {
                    return last;
                }
            }
            return last;
        });
    }

    /** A write on one shard; inside a transaction, the shard becomes one of its participants. */
    private Document sendWrite(int shard, Channel channel, String database, String command, Document sub,
                               Document original) {
        String transaction = ReplicaSetBackend.transactionOf(original);
        if (transaction != null) {
            participants.computeIfAbsent(transaction, key -> Collections.synchronizedSet(new LinkedHashSet<>()))
                .add(shard);
        }
        return on(shard, channel, database, command, sub);
    }

    private static void collectErrors(Document reply, List<Integer> indexes, List<Document> errors) {
        if (reply.get("writeErrors") instanceof List<?> list) {
            for (Object error : list) {
                Document copy = new Document((Document) error);
                copy.put("index", indexes.get(((Number) copy.get("index")).intValue()));
                errors.add(copy);
            }
        }
    }

    private static Document writeReply(int n, List<Document> errors) {
        Document reply = new Document("n", n);
        if (!errors.isEmpty()) {
            reply.put("writeErrors", errors);
        }
        return reply.append("ok", 1.0);
    }

    // ---- transactions

    /**
     * Commits a transaction: on its one shard as that shard commits, or, when it wrote on several, with every
     * participant's changes at one cluster time, as a two-phase commit gives them one commit timestamp.
     */
    private Document commitTransaction(Channel channel, String database, String command, Document query) {
        String transaction = ReplicaSetBackend.transactionOf(query);
        Set<Integer> shardsWritten = transaction == null ? Set.of() : participants.remove(transaction);
        if (shardsWritten == null || shardsWritten.isEmpty()) {
            return new Document("ok", 1.0);
        }
        if (shardsWritten.size() == 1) {
            return on(shardsWritten.iterator().next(), channel, database, command, query);
        }
        List<Integer> ordered = shardsWritten.stream().sorted().toList();
        for (int shard : ordered) {
            if (isDown(shard)) {
                throw new MongoServerError(6, "HostUnreachable", "a participant of the transaction, shard "
                    + catalog.shardName(shard) + ", is unreachable");
            }
        }
        List<ChangeLog> logs = new ArrayList<>();
        List<List<ChangeEvent.Draft>> parts = new ArrayList<>();
        for (int shard : ordered) {
            logs.add(shards.get(shard).backend().changeLog());
            parts.add(shards.get(shard).backend().takeTransaction(transaction));
        }
        ChangeLog.appendAcross(clock, logs, parts);
        return new Document("ok", 1.0);
    }

    private Document abortTransaction(Channel channel, String database, String command, Document query) {
        String transaction = ReplicaSetBackend.transactionOf(query);
        Set<Integer> shardsWritten = transaction == null ? null : participants.remove(transaction);
        Document reply = new Document("ok", 1.0);
        for (int shard : shardsWritten == null ? Set.<Integer>of() : shardsWritten) {
            reply = on(shard, channel, database, command, query);
        }
        return reply;
    }

    // ---- reads

    /**
     * {@code find} on every shard of the collection (or the one its shard key names), gathered: sorted as asked,
     * or by the hinted index's key when the query reads an index range ({@code min}/{@code max}); then skip and
     * limit, and the result served in batches by the router.
     */
    private Document find(Channel channel, String database, String command, Document query) {
        Namespace namespace = new Namespace(database, (String) query.get(command));
        Document filter = query.get("filter") instanceof Document given ? given : new Document();
        int skip = query.get("skip") instanceof Number number ? number.intValue() : 0;
        long limit = query.get("limit") instanceof Number number ? Math.abs(number.longValue()) : 0;
        Document sub = new Document(query);
        for (String option : List.of("skip", "limit", "batchSize", "singleBatch")) {
            sub.remove(option);
        }
        if (limit > 0) {
            sub.put("limit", skip + limit);
        }
        List<Document> documents = new ArrayList<>();
        for (int shard : targetOf(namespace, filter).map(List::of).orElseGet(() -> shardsOf(namespace))) {
            documents.addAll(drain(shard, channel, database, on(shard, channel, database, command, sub)));
        }
        Document order = query.get("sort") instanceof Document sort && !sort.isEmpty() ? sort
            : (query.containsKey("min") || query.containsKey("max")) && query.get("hint") instanceof Document hint
            ? hint : null;
        if (order != null) {
            documents.sort(new DocumentComparator(order));
        }
        List<Document> result = documents.subList(Math.min(skip, documents.size()), limit > 0
            ? (int) Math.min(documents.size(), skip + limit) : documents.size());
        return served(namespace, new ArrayList<>(result), query.get("batchSize"),
            Boolean.TRUE.equals(query.get("singleBatch")) || query.get("limit") instanceof Number given
                && given.longValue() < 0);
    }

    private Document served(Namespace namespace, List<Document> documents, Object batchSize, boolean singleBatch) {
        ListCursor cursor = new ListCursor(cursors.newId(), namespace.fullName(), documents);
        EmulatorCursor.Batch batch = cursor.first(batchSize instanceof Number size ? size.intValue() : 0);
        if (singleBatch) {
            batch = new EmulatorCursor.Batch(batch.documents(), null, true);
        } else if (!batch.exhausted()) {
            cursors.register(cursor);
        }
        return EmulatorCursors.reply("firstBatch", cursor, batch);
    }

    private Document count(Channel channel, String database, String command, Document query) {
        Namespace namespace = new Namespace(database, (String) query.get(command));
        long total = 0;
        for (int shard : targetOf(namespace, (Document) query.get("query")).map(List::of)
            .orElseGet(() -> shardsOf(namespace))) {
            total += ((Number) on(shard, channel, database, command, query).get("n")).longValue();
        }
        return new Document("n", total).append("ok", 1.0);
    }

    /**
     * {@code aggregate}: {@code $changeStream} merges the shards' streams; {@code $sample} first samples every
     * shard; any other pipeline runs at the router over the collection's documents gathered from the shards (the
     * leading {@code $match} on the shards).
     */
    private Document aggregate(Channel channel, String database, String command, Document query) {
        List<Document> pipeline = Aggregation.parse(query.get("pipeline"));
        if (!pipeline.isEmpty() && pipeline.get(0).containsKey("$changeStream")) {
            return changeStream(channel, database, command, query);
        }
        if (!(query.get(command) instanceof String collection)) {
            return on(0, channel, database, command, query);
        }
        Namespace namespace = new Namespace(database, collection);
        List<Document> gathered = new ArrayList<>();
        List<Document> rest;
        if (!pipeline.isEmpty() && pipeline.get(0).containsKey("$sample")) {
            long size = ((Number) ((Document) pipeline.get(0).get("$sample")).get("size")).longValue();
            for (int shard : shardsOf(namespace)) {
                Document sub = new Document(query);
                sub.put("pipeline", List.of(pipeline.get(0)));
                sub.put("cursor", new Document("batchSize", DRAIN_BATCH));
                gathered.addAll(drain(shard, channel, database, on(shard, channel, database, command, sub)));
            }
            Collections.shuffle(gathered);
            gathered = new ArrayList<>(gathered.subList(0, (int) Math.min(size, gathered.size())));
            rest = pipeline.subList(1, pipeline.size());
        } else {
            Document filter = !pipeline.isEmpty() && pipeline.get(0).get("$match") instanceof Document match
                ? match : new Document();
            rest = filter.isEmpty() ? pipeline : pipeline.subList(1, pipeline.size());
            for (int shard : targetOf(namespace, filter).map(List::of).orElseGet(() -> shardsOf(namespace))) {
                gathered.addAll(drain(shard, channel, database, on(shard, channel, database, "find",
                    new Document("find", collection).append("filter", filter).append("batchSize", DRAIN_BATCH))));
            }
        }
        List<Document> result = gathered;
        if (!rest.isEmpty()) {
            ReplicaSetBackend any = shards.get(0).backend();
            MongoDatabase mongoDatabase = any.resolveDatabase(database);
            result = Aggregation.fromPipeline(rest, any::resolveDatabase, mongoDatabase,
                mongoDatabase.resolveCollection(collection, false), NoopOplog.get()).runStages(gathered.stream());
        }
        Object batchSize = query.get("cursor") instanceof Document cursor ? cursor.get("batchSize") : null;
        return served(namespace, new ArrayList<>(result), batchSize, false);
    }

    /** A change stream on every shard, from the same position, merged ({@link MergedChangeStream}). */
    private Document changeStream(Channel channel, String database, String command, Document query) {
        List<Document> opened = new ArrayList<>();
        for (int shard : allShards()) {
            Document sub = new Document(query);
            sub.put("cursor", new Document("batchSize", 0));
            opened.add(on(shard, channel, database, command, sub));
        }
        Object target = query.get(command);
        String namespace = target instanceof String collection ? database + "." + collection
            : database + ".$cmd.aggregate";
        MergedChangeStream cursor = new MergedChangeStream(cursors.newId(), namespace, new MergedChangeStream.Shards() {
            @Override
            public Document getMore(int shard, long cursorId, int batchSize) {
                return on(shard, channel, database, "getMore", new Document("getMore", cursorId)
                    .append("collection", target instanceof String collection ? collection : "$cmd.aggregate")
                    .append("batchSize", batchSize).append("maxTimeMS", 0));
            }

            @Override
            public void kill(int shard, long cursorId) {
                if (!isDown(shard)) {
                    on(shard, channel, database, "killCursors", new Document("killCursors", "x")
                        .append("cursors", List.of(cursorId)));
                }
            }
        }, opened);
        Object batchSize = query.get("cursor") instanceof Document spec ? spec.get("batchSize") : null;
        EmulatorCursor.Batch batch = cursor.next(batchSize instanceof Number size ? size.intValue() : 0, 0);
        if (!batch.exhausted()) {
            cursors.register(cursor);
        }
        return EmulatorCursors.reply("firstBatch", cursor, batch);
    }

    private Document killCursors(Document query) {
        List<Long> killed = new ArrayList<>();
        List<Long> notFound = new ArrayList<>();
        for (Object id : (List<?>) query.get("cursors")) {
            long cursorId = ((Number) id).longValue();
            EmulatorCursor cursor = cursors.find(cursorId);
            if (cursor instanceof MergedChangeStream stream) {
                stream.close();
            }
            (cursors.remove(cursorId) ? killed : notFound).add(cursorId);
        }
        return new Document("cursorsKilled", killed).append("cursorsNotFound", notFound)
            .append("cursorsAlive", List.of()).append("cursorsUnknown", List.of()).append("ok", 1.0);
    }

    private Document listDatabases(Channel channel, String command, Document query) {
        Map<String, Document> byName = new LinkedHashMap<>();
        for (int shard : allShards()) {
            for (Object entry : (List<?>) on(shard, channel, ADMIN, command, query).get("databases")) {
                Document database = (Document) entry;
                byName.merge((String) database.get("name"), new Document(database), (a, b) -> {
                    a.put("sizeOnDisk", ((Number) a.getOrDefault("sizeOnDisk", 0)).longValue()
                        + ((Number) b.getOrDefault("sizeOnDisk", 0)).longValue());
                    a.put("empty", Boolean.TRUE.equals(a.get("empty")) && Boolean.TRUE.equals(b.get("empty")));
                    return a;
                });
            }
        }
        return new Document("databases", new ArrayList<>(byName.values())).append("ok", 1.0);
    }

    /** The collections of every shard, once each (a sharded collection exists on all of them). */
    private Document listCollections(Channel channel, String database, String command, Document query) {
        Map<String, Document> byName = new LinkedHashMap<>();
        int primary = catalog.primaryOf(database);
        List<Integer> order = new ArrayList<>(List.of(primary));
        allShards().stream().filter(shard -> shard != primary).forEach(order::add);
        for (int shard : order) {
            Document reply = on(shard, channel, database, command, query);
            for (Document collection : drain(shard, channel, database, reply)) {
                byName.putIfAbsent((String) collection.get("name"), collection);
            }
        }
        return served(new Namespace(database, "$cmd.listCollections"), new ArrayList<>(byName.values()), null,
            false);
    }

    /** A {@code config} collection, filtered and sorted as asked. */
    private Document configFind(Document query) {
        String collection = (String) query.get("find");
        Document filter = query.get("filter") instanceof Document given ? given : new Document();
        DefaultQueryMatcher matcher = new DefaultQueryMatcher();
        List<Document> documents = new ArrayList<>(catalog.configDocuments(collection).stream()
            .filter(document -> matcher.matches(document, filter)).toList());
        if (query.get("sort") instanceof Document sort && !sort.isEmpty()) {
            documents.sort(new DocumentComparator(sort));
        }
        if (query.get("limit") instanceof Number limit && limit.longValue() != 0) {
            documents = new ArrayList<>(documents.subList(0, (int) Math.min(documents.size(),
                Math.abs(limit.longValue()))));
        }
        return served(new Namespace(CONFIG, collection), documents, query.get("batchSize"), false);
    }

    // ---- DDL

    /** A command every shard takes as it is (creating a collection or an index, changing its options). */
    private Document everyShard(Channel channel, String database, String command, Document query) {
        Document reply = null;
        for (int shard : allShards()) {
            reply = on(shard, channel, database, command, query);
        }
        return reply;
    }

    /**
     * A drop or rename: on the primary shard as a change stream sees it, and quietly on the others, so that a
     * stream through the router shows it once.
     */
    private Document ddl(Channel channel, String database, String command, Document query) {
        Namespace namespace = command.equalsIgnoreCase("renameCollection")
            ? Namespace.parse((String) query.get(command))
            : command.equalsIgnoreCase("dropDatabase") ? Namespace.database(database)
            : new Namespace(database, (String) query.get(command));
        int primary = catalog.primaryOf(namespace.db());
        Document reply = on(primary, channel, database, command, query);
        for (int shard : allShards()) {
            if (shard != primary) {
                try {
                    shards.get(shard).backend().silently(() -> on(shard, channel, database, command, query));
                } catch (MongoServerError notThere) {
                    // the collection had no documents on that shard
                }
            }
        }
        catalog.dropped(namespace);
        return reply;
    }

    // ---- the rest of MongoBackend

    @Override
    public void handleClose(Channel channel) {
        shards.forEach(shard -> shard.backend().handleClose(channel));
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        return shards.get(0).backend().handleQuery(query);
    }

    @Override
    public void dropDatabase(String database) {
        shards.forEach(shard -> shard.backend().dropDatabase(database));
    }

    @Override
    public Collection<Document> getCurrentOperations(MongoQuery query) {
        return List.of();
    }

    @Override
    public Document getServerStatus() {
        return new Document("process", "mongos").append("ok", 1.0);
    }

    @Override
    public void close() {
    }

    @Override
    public void closeCursors(List<Long> cursorIds) {
        cursorIds.forEach(cursors::remove);
    }

    @Override
    public Clock getClock() {
        return Clock.systemUTC();
    }

    @Override
    public void enableOplog() {
    }

    @Override
    public void disableOplog() {
    }

    @Override
    public MongoDatabase resolveDatabase(String database) {
        return shards.get(catalog.primaryOf(database)).backend().resolveDatabase(database);
    }

    @Override
    public MongoBackend version(MongoVersion ignored) {
        throw new UnsupportedOperationException("the emulator is MongoDB " + version.text());
    }
}
