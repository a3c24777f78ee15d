package dev.ferry.controller.connect;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;

import com.mongodb.MongoException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCursor;

import dev.ferry.common.Versions;
import dev.ferry.common.mongo.ResumeTokens;
import dev.ferry.common.mongo.WatchedNamespaces;
import dev.ferry.controller.pipe.SourceSpec;

/**
 * A pipe's look at its MongoDB change stream, through a client it keeps. Each look opens a stream at the committed
 * version's cluster time (or where the last look found nothing pending, if later), filtered as the job's stream is
 * and keeping only each event's times, and reads until it finds a change above the committed version or reaches
 * the end: the events sharing a cluster time are numbered in stream order as the job numbers them, so that a
 * change is compared with the committed version exactly.
 */
final class MongoChangeProbe implements ChangeProbe {

    /** Events read in one look at most: a look never reads far past the few committed ones it starts among. */
    private static final int MAX_EVENTS = 10_000;
    private static final BsonDocument TIMES_ONLY = new BsonDocument("$project",
        new BsonDocument("clusterTime", new BsonInt32(1)).append("wallTime", new BsonInt32(1)));

    private final SourceSpec source;
    private final MongoClient client;
    private Set<String> probedNamespaces = Set.of();
    /** The cluster time up to which a look found no change above the version it was given (0: none yet). */
    private long clearUpTo;

    MongoChangeProbe(SourceSpec source) {
        this.source = source;
        this.client = MongoSource.connect(source);
    }

    @Override
    public Optional<Instant> oldestChangeAfter(long committedVersion, Collection<String> namespaces) {
        if (!probedNamespaces.equals(Set.copyOf(namespaces))) {
            probedNamespaces = Set.copyOf(namespaces);
            clearUpTo = 0;
        }
        long from = Math.max(Versions.clusterTime(committedVersion), clearUpTo);
        try (MongoCursor<BsonDocument> events = client.watch(List.of(WatchedNamespaces.matchStage(namespaces),
                TIMES_ONLY))
            .startAtOperationTime(new BsonTimestamp(from))
            .batchSize(1_000)
            .maxAwaitTime(100, TimeUnit.MILLISECONDS)
            .withDocumentClass(BsonDocument.class)
            .cursor()) {
            long lastTime = -1;
            int index = 0;
            for (int read = 0; read < MAX_EVENTS; read++) {
                BsonDocument event = events.tryNext();
                if (event == null) {
                    break;
                }
                BsonTimestamp time = event.getTimestamp("clusterTime");
                index = time.getValue() == lastTime ? index + 1 : 0;
                lastTime = time.getValue();
                long version = Versions.of(Integer.toUnsignedLong(time.getTime()),
                    Integer.toUnsignedLong(time.getInc()), index);
                if (version > committedVersion) {
                    return Optional.of(madeAt(event, time));
                }
            }
            if (events instanceof MongoChangeStreamCursor<BsonDocument> stream && stream.getResumeToken() != null) {
                ResumeTokens.clusterTime(stream.getResumeToken()).ifPresent(position -> clearUpTo = position);
            }
            return Optional.empty();
        } catch (MongoException e) {
            throw SourceException.of(e, MongoSource.hosts(source), "reading the change stream");
        }
    }

    private static Instant madeAt(BsonDocument event, BsonTimestamp clusterTime) {
        BsonValue wallTime = event.get("wallTime");
        return wallTime instanceof BsonDateTime date ? Instant.ofEpochMilli(date.getValue())
            : Instant.ofEpochSecond(Integer.toUnsignedLong(clusterTime.getTime()));
    }

    @Override
    public void close() {
        client.close();
    }
}
