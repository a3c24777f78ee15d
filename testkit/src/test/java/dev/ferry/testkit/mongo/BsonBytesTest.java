package dev.ferry.testkit.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;

class BsonBytesTest {

    @Test
    void countsTheLengthOfEveryTypeAsTheEncoderWritesIt() {
        Document document = new Document("_id", new ObjectId())
            .append("ascii", "plain").append("accents", "déjà vu").append("cjk", "東京").append("emoji", "🚢 ferry")
            .append("lone surrogate", "a\uD800b").append("int", 7).append("long", 1L << 40).append("double", 2.5)
            .append("true", true).append("null", null).append("instant", Instant.ofEpochMilli(1_700_000_000_000L))
            .append("decimal", Decimal128.fromNumber(new java.math.BigDecimal("9.99")))
            .append("timestamp", new BsonTimestamp(1L << 32)).append("min", MinKey.getInstance())
            .append("max", MaxKey.getInstance()).append("binary", new BinData(new byte[] {1, 2, 3}))
            .append("uuid", UUID.randomUUID()).append("regex", new BsonRegularExpression("^a", "i"))
            .append("nested", new Document("items", List.of(new Document("sku", "x").append("qty", 2), "s", 3,
                List.of(List.of()), new Document())))
            .append("eleven", List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));

        assertThat(BsonBytes.size(document)).isEqualTo(BsonBytes.encode(document).length);
    }
}
