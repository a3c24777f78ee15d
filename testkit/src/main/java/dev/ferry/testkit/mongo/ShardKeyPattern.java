package dev.ferry.testkit.mongo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * A collection's shard key ({@code {field: 1}} for ranges, or one field {@code "hashed"}), as mongos reads it:
 * the key of a document (for a hashed field, a 64-bit hash of its value), and the key a query names by equality,
 * when it names one, which targets a single shard.
 */
record ShardKeyPattern(Document pattern) {

    ShardKeyPattern {
        if (pattern.isEmpty()) {
            throw new MongoServerError(2, "BadValue", "a shard key needs at least one field");
        }
        long hashed = pattern.values().stream().filter("hashed"::equals).count();
        if (hashed > 1 || (hashed == 1 && pattern.size() > 1)) {
            throw new MongoServerError(2, "BadValue", "the emulator shards on one hashed field, or on ranges of "
                + "fields: " + pattern.toString());
        }
        for (Object value : pattern.values()) {
            if (!"hashed".equals(value) && !(value instanceof Number number && number.intValue() == 1)) {
                throw new MongoServerError(2, "BadValue", "shard key fields are 1 or \"hashed\": " + pattern.toString());
            }
        }
    }

    boolean hashed() {
        return pattern.containsValue("hashed");
    }

    List<String> fields() {
        return new ArrayList<>(pattern.keySet());
    }

    /** The key of a document, as chunks bound it ({@code {field: value}}, a hash for a hashed field). */
    Document keyOf(Document document) {
        Document key = new Document();
        for (String field : pattern.keySet()) {
            Object value = Utils.getSubdocumentValue(document, field);
            value = value instanceof Missing ? null : value;
            key.put(field, hashed() ? hash(value) : value);
        }
        return key;
    }

    /** The key a query pins down by equality on every key field, when it does. */
    Optional<Document> keyOfQuery(Document query) {
        Document values = new Document();
        for (String field : pattern.keySet()) {
            Object condition = query.get(field);
            if (condition instanceof Document operators && operators.size() == 1 && operators.containsKey("$eq")) {
                condition = operators.get("$eq");
            }
            if (condition == null && !query.containsKey(field) || condition instanceof Document document
                && document.keySet().stream().anyMatch(name -> name.startsWith("$"))) {
                return Optional.empty();
            }
            values.put(field, condition);
        }
        return Optional.of(keyOf(values));
    }

    /** The lowest key: every chunk bound of the first chunk. */
    Document min() {
        Document key = new Document();
        pattern.keySet().forEach(field -> key.put(field, MinKey.getInstance()));
        return key;
    }

    Document max() {
        Document key = new Document();
        pattern.keySet().forEach(field -> key.put(field, MaxKey.getInstance()));
        return key;
    }

    /** Compares two keys field by field, in BSON order. */
    int compare(Document a, Document b) {
        for (String field : pattern.keySet()) {
            int order = ValueComparator.asc().compare(a.get(field), b.get(field));
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    /**
     * The emulator's hash of a hashed key's value: the first eight bytes of an MD5 of the value's kind and text
     * (numbers of equal value hash alike, as in MongoDB, whose own hash function this is not).
     */
    static long hash(Object value) {
        String text;
        if (value instanceof Number number) {
            text = "n:" + number.doubleValue();
        } else if (value instanceof ObjectId objectId) {
            text = "o:" + objectId.getHexData();
        } else if (value instanceof String string) {
            text = "s:" + string;
        } else if (value == null) {
            text = "null";
        } else if (value instanceof Map<?, ?> || value instanceof Document) {
            text = "d:" + value;
        } else {
            text = value.getClass().getSimpleName() + ":" + value;
        }
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            long hash = 0;
            for (int i = 7; i >= 0; i--) {
                hash = (hash << 8) | (digest[i] & 0xff);
            }
            return hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no MD5", e);
        }
    }
}
