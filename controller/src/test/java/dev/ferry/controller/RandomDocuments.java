package dev.ferry.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * Random documents of every BSON type the encoder has a rule for, with awkward keys and nesting, and random
 * inserts, updates, replaces and deletes of them, all from one seed so that a failure can be replayed. Symbol,
 * DBPointer, JavaScript with scope and Undefined are left out: the MongoDB emulator's wire decoder refuses the
 * first three and reads the last as null; so are field names with dots or dollars, which the emulator stores but
 * then cannot update (the encoder's unit tests cover them all).
 */
final class RandomDocuments {

    private static final String[] KEYS = {"a", "qty", "name", "ключ", "😀", "with space", "q\"uote", ""};
    private static final String[] TEXTS = {"", "plain", "ünïcödé 中文 😀", "line\nbreak\ttab", "quote\" back\\slash",
        "NaN", "{\"looks\":\"like json\"}"};

    private final Random random;
    private final List<BsonValue> ids = new ArrayList<>();
    private int nextNumber;

    RandomDocuments(long seed) {
        this.random = new Random(seed);
    }

    /** Inserts {@code count} new documents. */
    void insert(MongoCollection<BsonDocument> collection, int count) {
        for (int i = 0; i < count; i++) {
            BsonDocument document = document(newId(), 0);
            collection.insertOne(document);
            ids.add(document.get("_id"));
        }
    }

    /** Runs {@code operations} random writes: inserts, updates ($set, $unset, $inc), replaces and deletes. */
    void mutate(MongoCollection<BsonDocument> collection, int operations) {
        for (int i = 0; i < operations; i++) {
            if (ids.isEmpty() || random.nextInt(5) == 0) {
                insert(collection, 1);
                continue;
            }
            BsonValue id = ids.get(random.nextInt(ids.size()));
            switch (random.nextInt(5)) {
                case 0 -> collection.updateOne(Filters.eq("_id", id), Updates.set(key(), value(1)));
                case 1 -> collection.updateOne(Filters.eq("_id", id), Updates.unset(key()));
                case 2 -> collection.updateOne(Filters.eq("_id", id), Updates.inc("counter", 1));
                case 3 -> collection.replaceOne(Filters.eq("_id", id), document(id, 0));
                default -> {
                    collection.deleteOne(Filters.eq("_id", id));
                    ids.remove(id);
                }
            }
        }
    }

    private BsonValue newId() {
        int number = nextNumber++;
        return switch (random.nextInt(5)) {
            case 0 -> new BsonObjectId(new ObjectId());
            case 1 -> new BsonString("id-" + number + TEXTS[random.nextInt(TEXTS.length)]);
            case 2 -> new BsonInt32(number);
            case 3 -> new BsonInt64(10_000_000_000L + number);
            default -> new BsonDocument("tenant", new BsonString("t" + random.nextInt(3))).append("n", new BsonInt32(number));
        };
    }

    private BsonDocument document(BsonValue id, int depth) {
        BsonDocument document = new BsonDocument("_id", id);
        int fields = 1 + random.nextInt(6);
        for (int i = 0; i < fields; i++) {
            document.put(key(), value(depth));
        }
        return document;
    }

    private String key() {
        return KEYS[random.nextInt(KEYS.length)];
    }

    private BsonValue value(int depth) {
        int kinds = depth < 3 ? 22 : 20;
        return switch (random.nextInt(kinds)) {
            case 0 -> new BsonString(TEXTS[random.nextInt(TEXTS.length)]);
            case 1 -> new BsonInt32(random.nextInt());
            case 2 -> new BsonInt64(random.nextLong());
            case 3 -> new BsonDouble(random.nextInt(3) == 0 ? random.nextInt(100) : random.nextDouble() * 1e6);
            case 4 -> new BsonDouble(new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                -0.0, 1.0, 1e300}[random.nextInt(6)]);
            case 5 -> new BsonDecimal128(Decimal128.parse(new String[] {"0.1", "-12.340", "1E+10", "NaN", "-0"}
                [random.nextInt(5)]));
            case 6 -> new BsonObjectId(new ObjectId());
            case 7 -> new BsonDateTime(new long[] {0, 1_700_000_000_123L, -62_198_755_200_000L, 253_402_300_800_000L,
                -1}[random.nextInt(5)]);
            case 8 -> random.nextBoolean() ? new BsonBinary((byte) 4, bytes(16))
                : new BsonBinary((byte) (random.nextBoolean() ? 0 : 0x80), bytes(random.nextInt(20)));
            case 9 -> new BsonTimestamp(random.nextInt(), random.nextInt());
            case 10 -> new BsonRegularExpression("^a.*" + random.nextInt(10), "im");
            case 11 -> new BsonJavaScript("function() { return " + random.nextInt(10) + "; }");
            case 12 -> new BsonDouble(random.nextGaussian());
            case 13 -> new BsonMinKey();
            case 14 -> new BsonMaxKey();
            case 15 -> BsonNull.VALUE;
            case 16 -> BsonBoolean.valueOf(random.nextBoolean());
            case 17 -> new BsonString("x".repeat(random.nextInt(2_000)));
            case 18 -> new BsonArray();
            case 19 -> new BsonDocument();
            case 20 -> {
                BsonDocument nested = document(new BsonInt32(0), depth + 1);
                nested.remove("_id");
                yield nested;
            }
            default -> {
                BsonArray array = new BsonArray();
                int size = random.nextInt(4);
                for (int i = 0; i < size; i++) {
                    array.add(value(depth + 1));
                }
                yield array;
            }
        };
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
