package dev.ferry.common;

import java.util.Random;

import org.bson.Document;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * Inserts, updates, replaces and deletes on a collection of integer ids (as {@link MixedWorkload#insertInitial}
 * makes), each counted as MongoDB reports it done, so that a test knows exactly how many changes of each kind a
 * pipe must count. Updates and replaces touch only ids that are not multiples of four, deletes only multiples of
 * four: no update is lost to a delete of its document before the change stream looks it up, in this run or
 * another. Every update and replace changes its document, so each makes a change event.
 */
public final class CountedWorkload {

    /** How many changes of each kind were made. */
    public record Counts(long inserts, long updates, long replaces, long deletes) {

        public static final Counts NONE = new Counts(0, 0, 0, 0);

        public Counts plus(Counts other) {
            return new Counts(inserts + other.inserts, updates + other.updates, replaces + other.replaces,
                deletes + other.deletes);
        }
    }

    private final MongoCollection<Document> collection;
    private final Random random;
    private final int initialIds;
    private int nextId;
    private long touch;

    /** {@code initialIds}: the ids 0 ... initialIds - 1 the collection was filled with; new ids start after them. */
    public CountedWorkload(MongoCollection<Document> collection, long seed, int initialIds) {
        this.collection = collection;
        this.random = new Random(seed);
        this.initialIds = initialIds;
        this.nextId = initialIds;
    }

    /** Makes these changes (deletes of documents deleted already count as nothing) and answers what was done. */
    public Counts run(int inserts, int updates, int replaces, int deletes) {
        long inserted = 0;
        long updated = 0;
        long replaced = 0;
        long deleted = 0;
        for (int i = 0; i < inserts; i++) {
            collection.insertOne(new Document("_id", nextId++).append("name", "new").append("qty", i));
            inserted++;
        }
        for (int i = 0; i < updates; i++) {
            updated += collection.updateOne(Filters.eq("_id", kept()),
                Updates.combine(Updates.inc("qty", 1), Updates.set("touched", ++touch))).getModifiedCount();
        }
        for (int i = 0; i < replaces; i++) {
            replaced += collection.replaceOne(Filters.eq("_id", kept()), new Document("replaced", ++touch))
                .getModifiedCount();
        }
        for (int i = 0; i < deletes; i++) {
            deleted += collection.deleteOne(Filters.eq("_id", 4 * random.nextInt(Math.max(1, initialIds / 4))))
                .getDeletedCount();
        }
        return new Counts(inserted, updated, replaced, deleted);
    }

    /** An initial id that is never deleted. */
    private int kept() {
        int id;
        do {
            id = random.nextInt(Math.max(2, initialIds));
        } while (id % 4 == 0);
        return id;
    }
}
