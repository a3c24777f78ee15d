package dev.ferry.job.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

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
import org.bson.BsonUndefined;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/** The BSON-to-JSON rules of the doc column, one per BSON type. */
class BsonJsonTest {

    private static String encode(BsonValue value) {
        return BsonJson.encodeValue(value);
    }

    @Test
    void objectIdIsItsHexString() {
        assertThat(encode(new BsonObjectId(new ObjectId("5f1a2b3c4d5e6f7081920a1b")))).isEqualTo("\"5f1a2b3c4d5e6f7081920a1b\"");
    }

    @Test
    void integersAreJsonIntegers() {
        assertThat(encode(new BsonInt32(-7))).isEqualTo("-7");
        assertThat(encode(new BsonInt64(9_007_199_254_740_993L))).isEqualTo("9007199254740993");
    }

    @Test
    void wholeDoublesKeepTheirFraction() {
        assertThat(encode(new BsonDouble(1.0))).isEqualTo("1.0");
        assertThat(encode(new BsonDouble(-0.0))).isEqualTo("-0.0");
        assertThat(encode(new BsonDouble(2.5))).isEqualTo("2.5");
        assertThat(encode(new BsonDouble(1e300))).isEqualTo("1.0E300");
    }

    @Test
    void nanAndInfinitiesAreStringsATheyCanBeToldApart() {
        assertThat(encode(new BsonDouble(Double.NaN))).isEqualTo("\"NaN\"");
        assertThat(encode(new BsonDouble(Double.POSITIVE_INFINITY))).isEqualTo("\"Infinity\"");
        assertThat(encode(new BsonDouble(Double.NEGATIVE_INFINITY))).isEqualTo("\"-Infinity\"");
    }

    @Test
    void decimal128IsAString() {
        assertThat(encode(new BsonDecimal128(Decimal128.parse("12.340")))).isEqualTo("\"12.340\"");
    }

    @Test
    void datesAreIso8601InUtcAlsoBeforeYearZeroAndAfter9999() {
        assertThat(encode(new BsonDateTime(0))).isEqualTo("\"1970-01-01T00:00:00Z\"");
        assertThat(encode(new BsonDateTime(253_402_300_800_000L))).isEqualTo("\"+10000-01-01T00:00:00Z\"");
        assertThat(encode(new BsonDateTime(-62_198_755_200_000L))).isEqualTo("\"-0001-01-01T00:00:00Z\"");
    }

    @Test
    void binaryTimestampAndRegexAreObjects() {
        assertThat(encode(new BsonBinary((byte) 4, new byte[] {1, 2, 3}))).isEqualTo("{\"Data\":\"AQID\",\"Subtype\":4}");
        assertThat(encode(new BsonTimestamp(1_700_000_000, 3))).isEqualTo("{\"T\":1700000000,\"I\":3}");
        assertThat(encode(new BsonRegularExpression("^a.*", "im"))).isEqualTo("{\"Pattern\":\"^a.*\",\"Options\":\"im\"}");
    }

    @Test
    void javaScriptIsItsCode() {
        assertThat(encode(new BsonJavaScript("function() { return 1; }"))).isEqualTo("\"function() { return 1; }\"");
    }

    @Test
    void minKeyMaxKeyUndefinedAndNullNeverCrash() {
        assertThat(encode(new BsonMinKey())).isEqualTo("\"MinKey\"");
        assertThat(encode(new BsonMaxKey())).isEqualTo("\"MaxKey\"");
        assertThat(encode(new BsonUndefined())).isEqualTo("null");
        assertThat(encode(BsonNull.VALUE)).isEqualTo("null");
        assertThat(encode(BsonBoolean.TRUE)).isEqualTo("true");
    }

    @Test
    void keysWithDotsDollarsQuotesAndUnicodeAreKeptAndEscaped() {
        BsonDocument document = new BsonDocument("a.b", new BsonInt32(1)).append("$x", new BsonInt32(2))
            .append("", new BsonInt32(3)).append("qu\"ote\n", new BsonString("tab\there")).append("ключ", new BsonString("😀"));

        assertThat(BsonJson.encode(document))
            .isEqualTo("{\"a.b\":1,\"$x\":2,\"\":3,\"qu\\\"ote\\n\":\"tab\\there\",\"ключ\":\"😀\"}");
    }

    @Test
    void nestedObjectsAndArraysKeepTheirShape() {
        BsonDocument document = new BsonDocument("a", new BsonArray(List.of(new BsonInt32(1),
            new BsonDocument("b", new BsonArray(List.of(new BsonArray()))))));

        assertThat(BsonJson.encode(document)).isEqualTo("{\"a\":[1,{\"b\":[[]]}]}");
    }

    @Test
    void idColumnIsHexForObjectIdsTextForStringsAndJsonOtherwise() {
        assertThat(DocumentIds.toColumn(new BsonObjectId(new ObjectId("5f1a2b3c4d5e6f7081920a1b"))))
            .isEqualTo("5f1a2b3c4d5e6f7081920a1b");
        assertThat(DocumentIds.toColumn(new BsonString("plain"))).isEqualTo("plain");
        assertThat(DocumentIds.toColumn(new BsonInt32(42))).isEqualTo("42");
        assertThat(DocumentIds.toColumn(new BsonDocument("k", new BsonInt32(1)))).isEqualTo("{\"k\":1}");
    }
}
