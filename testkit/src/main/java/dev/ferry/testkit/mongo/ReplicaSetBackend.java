package dev.ferry.testkit.mongo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.AbstractMongoBackend;
import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import de.bwaldvogel.mongo.oplog.Oplog;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;

/**
 * A {@link MongoBackend} that makes mongo-java-server's storage look like the primary of a MongoDB 5.0 replica set
 * with one member: replica-set {@code hello}, cluster time in every reply, {@code replSetGetStatus}, change streams
 * on collections, databases and the deployment, and index-bounded {@code find}. Everything else goes to the
 * storage engine unchanged.
 */
public final class ReplicaSetBackend implements MongoBackend {

    private static final String ADMIN = "admin";
    private static final long DEFAULT_AWAIT_MILLIS = 1000;
    private static final Set<String> STAGES_ALLOWED_AFTER_CHANGE_STREAM = Set.of("$match", "$project",
        "$addFields", "$set", "$unset", "$replaceRoot", "$replaceWith", "$redact");

    private final ChangeLog changeLog;
    private final ChangeRecordingOplog recorder;
    private final SortedDocuments sortedDocuments = new SortedDocuments();
    private final AbstractMongoBackend storage;
    private final EmulatorCursors cursors = new EmulatorCursors();
    private final String replicaSetName;
    private final Map<String, Duration> readLatencies;
    /** Open transactions by session and transaction number: the change events they hold back until commit. */
    private final Map<String, List<ChangeEvent.Draft>> transactions = new java.util.concurrent.ConcurrentHashMap<>();
    private final ObjectId electionId = new ObjectId();
    private final ServerVersion version;
    private static final String IMAGES_OPTION = "changeStreamPreAndPostImages";
    private final ChangeStreamImages images = new ChangeStreamImages();
    private final Instant started = Instant.now();
    private final ShardKeys shardKeys = new ShardKeys();
    private volatile String hostAndPort = "127.0.0.1:27017";

    ReplicaSetBackend(String replicaSetName, ServerVersion version, ChangeLogStore changeLogStore, long changeLogSize,
                      Duration noopInterval, Map<String, Duration> readLatencies,
                      Function<Supplier<Oplog>, AbstractMongoBackend> storageFactory, ClusterClock clusterClock) {
        this.replicaSetName = replicaSetName;
        this.version = version;
        this.readLatencies = Map.copyOf(readLatencies);
        this.changeLog = new ChangeLog(changeLogStore, changeLogSize, noopInterval.toSeconds(), clusterClock);
        this.recorder = new ChangeRecordingOplog(changeLog, this::findDocument, sortedDocuments, images, shardKeys);
        this.storage = storageFactory.apply(() -> recorder);
        this.storage.enableOplog();
    }

    /** The address the member reports in {@code hosts}, {@code me} and {@code primary}. */
    void advertise(String hostAndPort) {
        this.hostAndPort = hostAndPort;
    }

    long changeLogSize() {
        return changeLog.size();
    }

    // ---- what the router of a sharded cluster asks of its shards, in-process

    ChangeLog changeLog() {
        return changeLog;
    }

    /** The collection is sharded on {@code keyFields}: its change events carry them in {@code documentKey}. */
    void shardCollection(Namespace namespace, List<String> keyFields) {
        shardKeys.shard(namespace, keyFields);
    }

    /** Runs a write no change stream sees: a chunk's migration, or the copies of a DDL on the other shards. */
    <T> T silently(Supplier<T> write) {
        return recorder.silently(write);
    }

    /** Takes the change events of an open transaction, for the router to commit them with the other shards'. */
    List<ChangeEvent.Draft> takeTransaction(String transaction) {
        List<ChangeEvent.Draft> events = transactions.remove(transaction);
        return events == null ? List.of() : List.copyOf(events);
    }

    /** Every document of a collection as stored now (copies), for a chunk's migration. */
    List<Document> documentsOf(Namespace namespace) {
        MongoCollection<?> collection = storage.resolveDatabase(namespace.db()).resolveCollection(namespace.coll(),
            false);
        List<Document> documents = new ArrayList<>();
        if (collection != null) {
            collection.queryAllAsStream().forEach(document -> documents.add(document.cloneDeeply()));
        }
        return documents;
    }

    /** The transaction a command belongs to ({@code lsid} and {@code txnNumber}), or null outside one. */
    static String transactionOf(Document query) {
        return Boolean.FALSE.equals(query.get("autocommit")) && query.get("lsid") instanceof Document lsid
            ? lsid.get("id") + ":" + query.get("txnNumber") : null;
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        Document command = message.getDocument();
        return handleCommand(message.getChannel(), message.getDatabaseName(), command.keySet().iterator().next(),
            command);
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        Document reply = inTransactionIfAny(channel, database, command, query);
        if (reply != null) {
            BsonTimestamp clusterTime = changeLog.head().timestamp();
            EmulatorCursors.stampClusterTime(reply, clusterTime);
        }
        return reply;
    }

    /** Lets finds and getMores of a collection with a read latency take that long, as on a busy or distant server. */
    private void delayRead(String database, String command, Document query) {
        String lower = command.toLowerCase(Locale.ROOT);
        Object collection = lower.equals("find") ? query.get(command)
            : lower.equals("getmore") ? query.get("collection") : null;
        Duration latency = collection == null ? null : readLatencies.get(database + "." + collection);
        if (latency != null) {
            try {
                Thread.sleep(latency.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Multi-document transactions, as far as change streams see them: the writes of a transaction apply as they
     * come (no isolation, no rollback), and their change events enter the change log together at commit, sharing
     * one cluster time in statement order, as in MongoDB's oplog. An abort is refused, since nothing can be undone.
     */
    private Document inTransactionIfAny(Channel channel, String database, String command, Document query) {
        String transaction = transactionOf(query);
        String name = command.toLowerCase(Locale.ROOT);
        if (name.equals("committransaction")) {
            List<ChangeEvent.Draft> events = transaction == null ? null : transactions.remove(transaction);
            recorder.commit(events == null ? List.of() : events);
            return new Document("ok", 1.0);
        }
        if (name.equals("aborttransaction")) {
            if (transaction != null) {
                transactions.remove(transaction);
            }
            throw new MongoServerError(20, "IllegalOperation", "the emulator applies a transaction's writes as they "
                + "come and cannot roll them back; commit it instead");
        }
        if (transaction == null) {
            return route(channel, database, command, query);
        }
        List<ChangeEvent.Draft> events = transactions.computeIfAbsent(transaction,
            key -> java.util.Collections.synchronizedList(new ArrayList<>()));
        return recorder.inTransaction(events, () -> route(channel, database, command, query));
    }

    private Document route(Channel channel, String database, String command, Document query) {
        delayRead(database, command, query);
        switch (command.toLowerCase(Locale.ROOT)) {
            case "hello", "ismaster":
                return hello(command, query);
            case "buildinfo":
                return buildInfo();
            case "replsetgetstatus":
                return replSetGetStatus(database);
            case "aggregate":
                List<Document> pipeline = Aggregation.parse(query.get("pipeline"));
                if (!pipeline.isEmpty() && pipeline.get(0).containsKey("$changeStream")) {
                    return openChangeStream(database, query, pipeline);
                }
                if (!pipeline.isEmpty() && pipeline.get(0).containsKey("$sample") && query.get("aggregate") instanceof String) {
                    return sample(database, query, pipeline);
                }
                break;
            case "getmore":
                long cursorId = ((Number) query.get(command)).longValue();
                if (cursors.owns(cursorId)) {
                    return cursors.getMore(query, cursorId, DEFAULT_AWAIT_MILLIS);
                }
                break;
            case "killcursors":
                return killCursors(channel, database, command, query);
            case "find":
                return find(channel, database, command, query);
            case "delete":
                keepKeysOfDeleted(database, query);
                break;
            case "insert":
                return insert(channel, database, command, query);
            case "findandmodify":
                return findAndModify(channel, database, command, query);
            case "renamecollection":
                if (database.equals(ADMIN)) {
                    Document reply = storage.handleCommand(channel, database, command, query);
                    recorder.recordRename(Namespace.parse((String) query.get(command)),
                        Namespace.parse((String) query.get("to")));
                    return reply;
                }
                break;
            case "collmod":
                if (query.containsKey(IMAGES_OPTION)) {
                    return collMod(database, command, query);
                }
                break;
            case "create":
                if (query.containsKey(IMAGES_OPTION)) {
                    return create(channel, database, command, query);
                }
                break;
            case "listcollections":
                return listCollections(channel, database, command, query);
            case "listdatabases":
                return listDatabases(channel, database, command, query);
            case "dropdatabase":
                Document reply = storage.handleCommand(channel, database, command, query);
                recorder.recordDropDatabase(database);
                return reply;
            default:
                break;
        }
        return storage.handleCommand(channel, database, command, query);
    }

    /**
     * On a shard, the shard keys of the documents a delete is about to remove, which their change events carry
     * in {@code documentKey} (the delete's record comes after they are gone).
     */
    private void keepKeysOfDeleted(String database, Document query) {
        Namespace namespace = new Namespace(database, (String) query.get("delete"));
        if (!shardKeys.isSharded(namespace) || !(query.get("deletes") instanceof List<?> deletes)) {
            return;
        }
        MongoCollection<?> collection = storage.resolveDatabase(database).resolveCollection(namespace.coll(), false);
        if (collection == null) {
            return;
        }
        for (Object statement : deletes) {
            if (statement instanceof Document delete && delete.get("q") instanceof Document filter) {
                int limit = delete.get("limit") instanceof Number number ? number.intValue() : 0;
                for (Document document : collection.handleQuery(filter, 0, limit)) {
                    shardKeys.deleting(namespace, document);
                }
            }
        }
    }

    /** {@code collMod} with {@code changeStreamPreAndPostImages}: the collection keeps its images from now on. */
    private Document collMod(String database, String command, Document query) {
        Namespace namespace = new Namespace(database, (String) query.get(command));
        boolean enabled = imagesEnabled(query.get(IMAGES_OPTION), "collMod");
        MongoDatabase mongoDatabase = storage.resolveDatabase(database);
        if (mongoDatabase.resolveCollection(namespace.coll(), false) == null) {
            throw new MongoServerError(26, "NamespaceNotFound", "ns does not exist: " + namespace);
        }
        // mongo-java-server knows no collMod: the emulator takes this option and no other
        if (enabled) {
            images.enable(namespace, changeLog.head(), mongoDatabase.resolveCollection(namespace.coll(), false)
                .queryAllAsStream());
        } else {
            images.disable(namespace);
        }
        return new Document("ok", 1.0);
    }

    /** {@code create} with {@code changeStreamPreAndPostImages}. */
    private Document create(Channel channel, String database, String command, Document query) {
        boolean enabled = imagesEnabled(query.get(IMAGES_OPTION), "create");
        Document rest = new Document(query);
        rest.remove(IMAGES_OPTION);
        Document reply = storage.handleCommand(channel, database, command, rest);
        if (enabled) {
            images.enable(new Namespace(database, (String) query.get(command)), changeLog.head(), Stream.empty());
        }
        return reply;
    }

    private boolean imagesEnabled(Object option, String command) {
        if (!version.hasChangeStreamImages()) {
            throw version.unknownField(command + "." + IMAGES_OPTION);
        }
        if (!(option instanceof Document document) || !(document.get("enabled") instanceof Boolean enabled)) {
            throw new MongoServerError(14, "TypeMismatch", IMAGES_OPTION + " must be {enabled: <bool>}");
        }
        return enabled;
    }

    /**
     * {@code listCollections}, with each collection's {@code changeStreamPreAndPostImages} in its options, and its
     * {@code filter} and {@code nameOnly} taken (mongo-java-server drops both and answers every collection whole).
     */
    private Document listCollections(Channel channel, String database, String command, Document query) {
        Document reply = storage.handleCommand(channel, database, command, query);
        if (reply.get("cursor") instanceof Document cursor && cursor.get("firstBatch") instanceof List<?> batch) {
            Document filter = query.get("filter") instanceof Document given ? given : new Document();
            boolean nameOnly = Boolean.TRUE.equals(query.get("nameOnly"));
            DefaultQueryMatcher matcher = new DefaultQueryMatcher();
            List<Document> kept = new ArrayList<>();
            for (Object entry : batch) {
                if (entry instanceof Document collection && collection.get("name") instanceof String name) {
                    if (images.enabled(new Namespace(database, name))) {
                        Document options = collection.get("options") instanceof Document existing ? existing
                            : new Document();
                        options.put(IMAGES_OPTION, new Document("enabled", true));
                        collection.put("options", options);
                    }
                    if (matcher.matches(collection, filter)) {
                        kept.add(nameOnly ? new Document("name", name).append("type",
                            collection.getOrDefault("type", "collection")) : collection);
                    }
                }
            }
            cursor.put("firstBatch", kept);
        }
        return reply;
    }

    /** {@code listDatabases} with its {@code filter} and {@code nameOnly} taken, as mongod takes them. */
    private Document listDatabases(Channel channel, String database, String command, Document query) {
        Document reply = storage.handleCommand(channel, database, command, query);
        if (reply.get("databases") instanceof List<?> databases) {
            Document filter = query.get("filter") instanceof Document given ? given : new Document();
            boolean nameOnly = Boolean.TRUE.equals(query.get("nameOnly"));
            DefaultQueryMatcher matcher = new DefaultQueryMatcher();
            List<Document> kept = new ArrayList<>();
            for (Object entry : databases) {
                if (entry instanceof Document listed && matcher.matches(listed, filter)) {
                    kept.add(nameOnly ? new Document("name", listed.get("name")) : listed);
                }
            }
            reply.put("databases", kept);
        }
        return reply;
    }

    private Document hello(String command, Document query) {
        Document reply = new Document();
        if (command.equals("hello")) {
            reply.append("isWritablePrimary", true);
        } else {
            reply.append("ismaster", true);
        }
        if (Boolean.TRUE.equals(query.get("helloOk"))) {
            reply.append("helloOk", true);
        }
        BsonTimestamp lastWrite = changeLog.head().timestamp();
        Document opTime = new Document("ts", lastWrite).append("t", 1L);
        Instant lastWriteDate = Instant.ofEpochSecond(Integer.toUnsignedLong(lastWrite.getTime()));
        return reply
            .append("hosts", List.of(hostAndPort))
            .append("setName", replicaSetName)
            .append("setVersion", 1)
            .append("secondary", false)
            .append("primary", hostAndPort)
            .append("me", hostAndPort)
            .append("electionId", electionId)
            .append("lastWrite", new Document("opTime", opTime).append("lastWriteDate", lastWriteDate)
                .append("majorityOpTime", opTime).append("majorityWriteDate", lastWriteDate))
            .append("maxBsonObjectSize", 16 * 1024 * 1024)
            .append("maxMessageSizeBytes", 48_000_000)
            .append("maxWriteBatchSize", 100_000)
            .append("localTime", Instant.now())
            .append("logicalSessionTimeoutMinutes", 30)
            .append("minWireVersion", 0)
            .append("maxWireVersion", version.wireVersion())
            .append("readOnly", false)
            .append("ok", 1.0);
    }

    private Document buildInfo() {
        return new Document("version", version.text())
            .append("gitVersion", "ferry-testkit-replica-set-emulator")
            .append("versionArray", version.versionArray())
            .append("bits", 64)
            .append("maxBsonObjectSize", 16 * 1024 * 1024)
            .append("storageEngines", List.of("wiredTiger"))
            .append("ok", 1.0);
    }

    private Document replSetGetStatus(String database) {
        if (!database.equals(ADMIN)) {
            throw new MongoServerError(13, "Unauthorized", "replSetGetStatus may only be run against the admin database.");
        }
        BsonTimestamp lastWrite = changeLog.head().timestamp();
        Instant now = Instant.now();
        Document member = new Document("_id", 0)
            .append("name", hostAndPort)
            .append("health", 1.0)
            .append("state", 1)
            .append("stateStr", "PRIMARY")
            .append("uptime", (int) (now.getEpochSecond() - started.getEpochSecond()))
            .append("optime", new Document("ts", lastWrite).append("t", 1L))
            .append("optimeDate", Instant.ofEpochSecond(Integer.toUnsignedLong(lastWrite.getTime())))
            .append("electionId", electionId)
            .append("self", true);
        return new Document("set", replicaSetName)
            .append("date", now)
            .append("myState", 1)
            .append("term", 1L)
            .append("members", List.of(member))
            .append("ok", 1.0);
    }

    private Document openChangeStream(String database, Document query, List<Document> pipeline) {
        ChangeStreamOptions options = ChangeStreamOptions.parse(pipeline.get(0).get("$changeStream"), version);
        ChangeStreamScope scope = scopeOf(database, query.get("aggregate"), options);
        ChangeStreamCursor.EventPipeline stages = eventPipeline(database, pipeline.subList(1, pipeline.size()));
        ChangeLogPosition start = options.startAfterPosition(changeLog.head());
        changeLog.requireHistoryAfter(start);
        ChangeStreamCursor cursor = new ChangeStreamCursor(cursors.newId(), scope, options.fullDocument(),
            options.beforeChange(), stages,
            changeLog, this::findDocument, images, start, options.resumedFragment());
        EmulatorCursor.Batch batch = cursor.next(batchSize(query.get("cursor")), 0);
        if (!batch.exhausted()) {
            cursors.register(cursor);
        }
        return EmulatorCursors.reply("firstBatch", cursor, batch);
    }

    private static ChangeStreamScope scopeOf(String database, Object target, ChangeStreamOptions options) {
        boolean wholeDatabase = target instanceof Number;
        if (database.equals(ADMIN)) {
            if (wholeDatabase && options.allChangesForCluster()) {
                return ChangeStreamScope.deployment();
            }
            throw new MongoServerError(73, "InvalidNamespace",
                "$changeStream may not be opened on the internal admin database; to watch the whole deployment, "
                    + "aggregate on admin with {aggregate: 1} and allChangesForCluster: true");
        }
        if (options.allChangesForCluster()) {
            throw new MongoServerError(40575, "Location40575",
                "A $changeStream with 'allChangesForCluster:true' may only be opened on the 'admin' database");
        }
        if (ChangeRecordingOplog.isInternal(new Namespace(database, wholeDatabase ? null : (String) target))) {
            throw new MongoServerError(73, "InvalidNamespace",
                "$changeStream may not be opened on the internal " + database + " database or a system collection");
        }
        return wholeDatabase ? ChangeStreamScope.database(database)
            : ChangeStreamScope.collection(database, (String) target);
    }

    /**
     * The user's stages after {@code $changeStream}, then the size check of every event: an event over 16 MB fails
     * the stream, or, with {@code $changeStreamSplitLargeEvent} last (MongoDB 7.0), comes as fragments.
     */
    private ChangeStreamCursor.EventPipeline eventPipeline(String database, List<Document> stages) {
        boolean split = false;
        for (int i = 0; i < stages.size(); i++) {
            String name = stages.get(i).keySet().iterator().next();
            if (name.equals(LargeEvents.STAGE) && version.atLeast(7, 0)) {
                if (i != stages.size() - 1) {
                    throw new MongoServerError(7182802, "Location7182802",
                        LargeEvents.STAGE + " must be the last stage in the pipeline");
                }
                split = true;
            } else if (name.equals(LargeEvents.STAGE)) {
                throw new MongoServerError(40324, "Location40324", "Unrecognized pipeline stage name: '"
                    + LargeEvents.STAGE + "' (this server is MongoDB " + version.text() + "; the stage needs 7.0)");
            } else if (!STAGES_ALLOWED_AFTER_CHANGE_STREAM.contains(name)) {
                throw new MongoServerError(40602, "Location40602",
                    name + " is not permitted in a $changeStream pipeline");
            }
        }
        List<Document> userStages = split ? stages.subList(0, stages.size() - 1) : stages;
        ChangeStreamCursor.EventPipeline user;
        if (userStages.isEmpty()) {
            user = List::of;
        } else {
            Aggregation aggregation = Aggregation.fromPipeline(userStages, storage::resolveDatabase,
                storage.resolveDatabase(database), null, NoopOplog.get());
            user = event -> ChangeStreamCursor.requireTokenKept(event, aggregation.runStagesAsStream(
                Stream.of(event)));
        }
        boolean splitting = split;
        return event -> {
            List<Document> out = new java.util.ArrayList<>();
            for (Document kept : user.apply(event)) {
                if (splitting) {
                    out.addAll(LargeEvents.split(kept));
                } else {
                    LargeEvents.requireFits(kept);
                    out.add(kept);
                }
            }
            return out;
        };
    }

    private Document killCursors(Channel channel, String database, String command, Document query) {
        List<Long> killed = new ArrayList<>();
        List<Long> notFound = new ArrayList<>();
        List<Long> forStorage = new ArrayList<>();
        for (Object id : (List<?>) query.get("cursors")) {
            long cursorId = ((Number) id).longValue();
            if (!cursors.owns(cursorId)) {
                forStorage.add(cursorId);
            } else if (cursors.remove(cursorId)) {
                killed.add(cursorId);
            } else {
                notFound.add(cursorId);
            }
        }
        if (!forStorage.isEmpty()) {
            Document storageQuery = new Document(query);
            storageQuery.put("cursors", forStorage);
            Document reply = storage.handleCommand(channel, database, command, storageQuery);
            ((List<?>) reply.get("cursorsKilled")).forEach(id -> killed.add(((Number) id).longValue()));
            ((List<?>) reply.get("cursorsNotFound")).forEach(id -> notFound.add(((Number) id).longValue()));
        }
        return new Document("cursorsKilled", killed)
            .append("cursorsNotFound", notFound)
            .append("cursorsAlive", List.of())
            .append("cursorsUnknown", List.of())
            .append("ok", 1.0);
    }

    /**
     * A query, answered in batches as mongod answers it ({@link ListCursor}): mongo-java-server would answer a query
     * without a batch size in one reply of any size, which drivers refuse above 48 MB. A query with {@code min} or
     * {@code max} reads an index range ({@link IndexBoundsFind}).
     */
    private Document find(Channel channel, String database, String command, Document query) {
        String collection = (String) query.get(command);
        List<Document> documents;
        if (query.containsKey("min") || query.containsKey("max")) {
            documents = new IndexBoundsFind(storage.resolveDatabase(database), storage::resolveDatabase,
                sortedDocuments)
                .run(collection, query);
        } else {
            Document whole = new Document(query);
            whole.remove("batchSize");
            whole.remove("singleBatch");
            Document reply = storage.handleCommand(channel, database, command, whole);
            @SuppressWarnings("unchecked")
            List<Document> all = (List<Document>) ((Document) reply.get("cursor")).get("firstBatch");
            documents = all;
        }
        ListCursor cursor = new ListCursor(cursors.newId(), database + "." + collection, documents);
        boolean singleBatch = Boolean.TRUE.equals(query.get("singleBatch"))
            || (query.get("limit") instanceof Number limit && limit.longValue() < 0);
        EmulatorCursor.Batch batch = cursor.first(query.get("batchSize") instanceof Number size ? size.intValue() : 0);
        if (singleBatch) {
            batch = new EmulatorCursor.Batch(batch.documents(), null, true);
        } else if (!batch.exhausted()) {
            cursors.register(cursor);
        }
        return EmulatorCursors.reply("firstBatch", cursor, batch);
    }

    /**
     * {@code $sample} as the first stage: N distinct documents picked at random. mongo-java-server sorts by a random
     * comparator, which breaks the sort's contract and fails now and then; the emulator shuffles instead, then runs
     * the rest of the pipeline on the sample.
     */
    private Document sample(String database, Document query, List<Document> pipeline) {
        Object spec = pipeline.get(0).get("$sample");
        if (!(spec instanceof Document sampleSpec) || !(sampleSpec.get("size") instanceof Number size)
            || size.longValue() < 0 || sampleSpec.size() != 1) {
            throw new MongoServerError(28745, "Location28745", "the $sample stage specification must be an object "
                + "with a non-negative numeric size, e.g. {$sample: {size: 10}}");
        }
        String collectionName = (String) query.get("aggregate");
        MongoDatabase mongoDatabase = storage.resolveDatabase(database);
        MongoCollection<?> collection = mongoDatabase.resolveCollection(collectionName, false);
        List<Document> documents = new ArrayList<>();
        if (collection != null) {
            collection.queryAll().forEach(documents::add);
        }
        java.util.Collections.shuffle(documents);
        List<Document> sampled = documents.subList(0, (int) Math.min(documents.size(), size.longValue()));
        List<Document> rest = pipeline.subList(1, pipeline.size());
        List<Document> result = rest.isEmpty() ? new ArrayList<>(sampled)
            : Aggregation.fromPipeline(rest, storage::resolveDatabase, mongoDatabase, collection, NoopOplog.get())
                .runStages(sampled.stream());
        ListCursor cursor = new ListCursor(cursors.newId(), database + "." + collectionName, result);
        EmulatorCursor.Batch batch = cursor.next(batchSize(query.get("cursor")), 0);
        if (!batch.exhausted()) {
            cursors.register(cursor);
        }
        return EmulatorCursors.reply("firstBatch", cursor, batch);
    }

    /**
     * mongo-java-server tells its oplog about every document of an insert, failed ones included, and only after it
     * has released the collection, where another write to a new document can overtake the record of its insert.
     * The emulator runs the insert without the oplog, holding the collection's lock, and records the documents
     * that were written.
     */
    private Document insert(Channel channel, String database, String command, Document query) {
        String collectionName = (String) query.get(command);
        MongoDatabase mongoDatabase = storage.resolveDatabase(database);
        Namespace ns = new Namespace(database, collectionName);
        if (ChangeRecordingOplog.isInternal(ns)) {
            return storage.handleCommand(channel, database, command, query);
        }
        MongoCollection<?> collection = existingOrNewCollection(mongoDatabase, collectionName);
        synchronized (collection) {
            Document reply = mongoDatabase.handleCommand(channel, command, query, storage::resolveDatabase,
                NoopOplog.get());
            List<?> documents = (List<?>) query.get("documents");
            Set<Integer> failed = new HashSet<>();
            if (reply.get("writeErrors") instanceof List<?> errors) {
                errors.forEach(error -> failed.add(((Number) ((Document) error).get("index")).intValue()));
            }
            boolean ordered = !Boolean.FALSE.equals(query.get("ordered"));
            int firstFailure = failed.stream().min(Integer::compare).orElse(documents.size());
            List<Document> written = new ArrayList<>();
            for (int i = 0; i < documents.size(); i++) {
                if (!failed.contains(i) && (!ordered || i < firstFailure)) {
                    written.add((Document) documents.get(i));
                }
            }
            recorder.handleInsert(ns.fullName(), written);
            return reply;
        }
    }

    private static MongoCollection<?> existingOrNewCollection(MongoDatabase database, String collectionName) {
        MongoCollection<?> collection = database.resolveCollection(collectionName, false);
        if (collection != null) {
            return collection;
        }
        try {
            return database.createCollectionOrThrowIfExists(collectionName);
        } catch (MongoServerException alreadyCreated) {
            return database.resolveCollection(collectionName, true);
        }
    }

    /**
     * mongo-java-server does not tell its oplog about findAndModify, so the emulator records it here, holding the
     * collection's lock so that no other write to it comes between the change and its record.
     */
    private Document findAndModify(Channel channel, String database, String command, Document query) {
        String collectionName = (String) query.get(command);
        MongoCollection<?> collection = storage.resolveDatabase(database).resolveCollection(collectionName, false);
        synchronized (collection != null ? collection : this) {
            Document reply = storage.handleCommand(channel, database, command, query);
            Namespace ns = new Namespace(database, collectionName);
            Document lastError = (Document) reply.get("lastErrorObject");
            Document value = (Document) reply.get("value");
            if (Boolean.TRUE.equals(query.get("remove"))) {
                if (value != null) {
                    shardKeys.deleting(ns, value);
                    recorder.handleDelete(ns.fullName(), null, List.of(value.get("_id")));
                }
            } else if (lastError != null && lastError.get("upserted") != null) {
                Document inserted = findDocument(ns, lastError.get("upserted"));
                if (inserted != null) {
                    recorder.handleInsert(ns.fullName(), List.of(inserted));
                }
            } else if (value != null && query.get("update") instanceof Document update) {
                recorder.recordUpdate(ns, value.get("_id"), update);
            }
            return reply;
        }
    }

    private static int batchSize(Object spec) {
        return spec instanceof Document document && document.get("batchSize") instanceof Number size
            ? size.intValue() : 0;
    }

    /** The document with this {@code _id} as it is now, or null. */
    private Document findDocument(Namespace namespace, Object id) {
        MongoDatabase database = storage.resolveDatabase(namespace.db());
        MongoCollection<?> collection = database.resolveCollection(namespace.coll(), false);
        if (collection == null) {
            return null;
        }
        // {$in: [id]} reaches the _id index (mongo-java-server scans the collection for {$eq: id})
        Document byId = new Document("$query", new Document("_id", new Document("$in", List.of(id))));
        for (Document document : collection.handleQuery(byId, 0, 1)) {
            return document.cloneDeeply();
        }
        return null;
    }

    // ---- the rest of MongoBackend goes to the storage engine

    @Override
    public void handleClose(Channel channel) {
        storage.handleClose(channel);
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        return storage.handleQuery(query);
    }

    @Override
    public void dropDatabase(String database) {
        storage.dropDatabase(database);
        recorder.recordDropDatabase(database);
    }

    @Override
    public Collection<Document> getCurrentOperations(MongoQuery query) {
        return storage.getCurrentOperations(query);
    }

    @Override
    public Document getServerStatus() {
        return storage.getServerStatus();
    }

    @Override
    public void close() {
        storage.close();
        changeLog.close();
    }

    @Override
    public void closeCursors(List<Long> cursorIds) {
        List<Long> forStorage = new ArrayList<>();
        for (Long id : cursorIds) {
            if (cursors.owns(id)) {
                cursors.remove(id);
            } else {
                forStorage.add(id);
            }
        }
        storage.closeCursors(forStorage);
    }

    @Override
    public Clock getClock() {
        return storage.getClock();
    }

    @Override
    public void enableOplog() {
        storage.enableOplog();
    }

    @Override
    public void disableOplog() {
        throw new UnsupportedOperationException("a replica set always keeps its change log");
    }

    @Override
    public MongoDatabase resolveDatabase(String database) {
        return storage.resolveDatabase(database);
    }

    @Override
    public MongoBackend version(MongoVersion ignored) {
        throw new UnsupportedOperationException("the emulator is MongoDB " + this.version.text());
    }
}
