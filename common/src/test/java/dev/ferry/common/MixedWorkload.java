package dev.ferry.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bson.Document;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/** Inserts, updates, replaces and deletes at random on a collection of integer ids, from a seed. */
public final class MixedWorkload {

    private final MongoCollection<Document> collection;
    private final Random random;
    private int nextId;

    public MixedWorkload(MongoCollection<Document> collection, long seed, int firstNewId) {
        this.collection = collection;
        this.random = new Random(seed);
        this.nextId = firstNewId;
    }

    public static void insertInitial(MongoCollection<Document> collection, int count) {
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(new Document("_id", i).append("name", "doc-" + i).append("qty", i % 100)
                .append("tags", List.of("a", "b")).append("nested", new Document("x", i * 1.5)));
            if (batch.size() == 1000) {
                collection.insertMany(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            collection.insertMany(batch);
        }
    }

    public void run(int operations) {
        for (int i = 0; i < operations; i++) {
            int existing = random.nextInt(Math.max(1, nextId));
            switch (random.nextInt(4)) {
                case 0 -> collection.insertOne(new Document("_id", nextId++).append("name", "new").append("qty", i));
                case 1 -> collection.updateOne(Filters.eq("_id", existing),
                    Updates.combine(Updates.inc("qty", 1), Updates.set("touched", i)));
                case 2 -> collection.replaceOne(Filters.eq("_id", existing), new Document("replaced", i));
                default -> collection.deleteOne(Filters.eq("_id", existing));
            }
        }
    }
}
