package dev.ferry.common.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDbPointer;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonJavaScript;
import org.bson.BsonJavaScriptWithScope;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonSymbol;
import org.bson.BsonTimestamp;
import org.bson.BsonUndefined;
import org.bson.BsonValue;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
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
    void int32IsAJsonInteger() {
        assertThat(encode(new BsonInt32(-7))).isEqualTo("-7");
        assertThat(encode(new BsonInt32(Integer.MIN_VALUE))).isEqualTo("-2147483648");
    }

    @Test
    void int64IsAJsonIntegerWithAllItsDigits() {
        assertThat(encode(new BsonInt64(9_007_199_254_740_993L))).isEqualTo("9007199254740993");
        assertThat(encode(new BsonInt64(Long.MAX_VALUE))).isEqualTo("9223372036854775807");
    }

    @Test
    void wholeDoublesKeepTheirFraction() {
        assertThat(encode(new BsonDouble(1.0))).isEqualTo("1.0");
        assertThat(encode(new BsonDouble(-3.0))).isEqualTo("-3.0");
    }

    @Test
    void negativeZeroStaysNegative() {
        assertThat(encode(new BsonDouble(-0.0))).isEqualTo("-0.0");
    }

    @Test
    void fractionalAndVeryLargeOrSmallDoublesAreJsonNumbers() {
        assertThat(encode(new BsonDouble(2.5))).isEqualTo("2.5");
        assertThat(encode(new BsonDouble(1e300))).isEqualTo("1.0E300");
        assertThat(encode(new BsonDouble(1e-7))).isEqualTo("1.0E-7");
        assertThat(encode(new BsonDouble(0.1 + 0.2))).isEqualTo("0.30000000000000004");
    }

    @Test
    void nanIsTheStringNaN() {
        assertThat(encode(new BsonDouble(Double.NaN))).isEqualTo("\"NaN\"");
    }

    @Test
    void infinitiesAreStringsWithTheirSign() {
        assertThat(encode(new BsonDouble(Double.POSITIVE_INFINITY))).isEqualTo("\"Infinity\"");
        assertThat(encode(new BsonDouble(Double.NEGATIVE_INFINITY))).isEqualTo("\"-Infinity\"");
    }

    @Test
    void decimal128IsAStringKeepingItsExactDigits() {
        assertThat(encode(new BsonDecimal128(Decimal128.parse("12.340")))).isEqualTo("\"12.340\"");
        assertThat(encode(new BsonDecimal128(Decimal128.parse("-0.000001")))).isEqualTo("\"-0.000001\"");
    }

    @Test
    void decimal128SpecialValuesAreStrings() {
        assertThat(encode(new BsonDecimal128(Decimal128.NaN))).isEqualTo("\"NaN\"");
        assertThat(encode(new BsonDecimal128(Decimal128.NEGATIVE_INFINITY))).isEqualTo("\"-Infinity\"");
        assertThat(encode(new BsonDecimal128(Decimal128.NEGATIVE_ZERO))).isEqualTo("\"-0\"");
    }

    @Test
    void datesAreIso8601InUtcWithMilliseconds() {
        assertThat(encode(new BsonDateTime(0))).isEqualTo("\"1970-01-01T00:00:00Z\"");
        assertThat(encode(new BsonDateTime(1_700_000_000_123L))).isEqualTo("\"2023-11-14T22:13:20.123Z\"");
    }

    @Test
    void datesBeforeYearZeroAndAfter9999AreExpandedIso8601Years() {
        assertThat(encode(new BsonDateTime(253_402_300_800_000L))).isEqualTo("\"+10000-01-01T00:00:00Z\"");
        assertThat(encode(new BsonDateTime(-62_198_755_200_000L))).isEqualTo("\"-0001-01-01T00:00:00Z\"");
        assertThat(encode(new BsonDateTime(Long.MIN_VALUE))).startsWith("\"-292275055-");
    }

    @Test
    void binaryIsBase64DataWithItsSubtype() {
        assertThat(encode(new BsonBinary((byte) 4, new byte[] {1, 2, 3}))).isEqualTo("{\"Data\":\"AQID\",\"Subtype\":4}");
        assertThat(encode(new BsonBinary((byte) 0x80, new byte[0]))).isEqualTo("{\"Data\":\"\",\"Subtype\":128}");
    }

    @Test
    void timestampIsTAndIAsUnsignedIntegers() {
        assertThat(encode(new BsonTimestamp(1_700_000_000, 3))).isEqualTo("{\"T\":1700000000,\"I\":3}");
        assertThat(encode(new BsonTimestamp(-1, -1))).isEqualTo("{\"T\":4294967295,\"I\":4294967295}");
    }

    @Test
    void regexIsPatternAndOptions() {
        assertThat(encode(new BsonRegularExpression("^a\\.\"*", "im")))
            .isEqualTo("{\"Pattern\":\"^a\\\\.\\\"*\",\"Options\":\"im\"}");
    }

    @Test
    void javaScriptIsItsCode() {
        assertThat(encode(new BsonJavaScript("function() { return 1; }"))).isEqualTo("\"function() { return 1; }\"");
    }

    @Test
    void javaScriptWithScopeIsItsCodeAndScope() {
        assertThat(encode(new BsonJavaScriptWithScope("x + 1", new BsonDocument("x", new BsonInt32(1)))))
            .isEqualTo("{\"Code\":\"x + 1\",\"Scope\":{\"x\":1}}");
    }

    @Test
    void symbolIsItsString() {
        assertThat(encode(new BsonSymbol("sym"))).isEqualTo("\"sym\"");
    }

    @Test
    void dbPointerIsRefAndId() {
        assertThat(encode(new BsonDbPointer("shop.orders", new ObjectId("5f1a2b3c4d5e6f7081920a1b"))))
            .isEqualTo("{\"$ref\":\"shop.orders\",\"$id\":\"5f1a2b3c4d5e6f7081920a1b\"}");
    }

    @Test
    void minKeyAndMaxKeyAreTheirNames() {
        assertThat(encode(new BsonMinKey())).isEqualTo("\"MinKey\"");
        assertThat(encode(new BsonMaxKey())).isEqualTo("\"MaxKey\"");
    }

    @Test
    void undefinedAndNullAreNull() {
        assertThat(encode(new BsonUndefined())).isEqualTo("null");
        assertThat(encode(BsonNull.VALUE)).isEqualTo("null");
    }

    @Test
    void booleansAreJsonBooleans() {
        assertThat(encode(BsonBoolean.TRUE)).isEqualTo("true");
        assertThat(encode(BsonBoolean.FALSE)).isEqualTo("false");
    }

    @Test
    void keysWithDotsAndDollarsAreKeptAsTheyAre() {
        BsonDocument document = new BsonDocument("a.b", new BsonInt32(1)).append("$x", new BsonInt32(2));

        assertThat(BsonJson.encode(document)).isEqualTo("{\"a.b\":1,\"$x\":2}");
    }

    @Test
    void anEmptyKeyIsKept() {
        assertThat(BsonJson.encode(new BsonDocument("", new BsonInt32(3)))).isEqualTo("{\"\":3}");
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        BsonDocument document = new BsonDocument("qu\"ote\n", new BsonString("tab\there \\ \u0001 \u2028"));

        assertThat(BsonJson.encode(document))
            .isEqualTo("{\"qu\\\"ote\\n\":\"tab\\there \\\\ \\u0001 \\u2028\"}");
    }

    @Test
    void anyUnicodeIsKeptAsItIs() {
        BsonDocument document = new BsonDocument("ключ", new BsonString("😀 中文 é"));

        assertThat(BsonJson.encode(document)).isEqualTo("{\"ключ\":\"😀 中文 é\"}");
    }

    @Test
    void nestedObjectsAndArraysKeepTheirShape() {
        BsonDocument document = new BsonDocument("a", new BsonArray(List.of(new BsonInt32(1),
            new BsonDocument("b", new BsonArray(List.of(new BsonArray(), new BsonDocument()))))));

        assertThat(BsonJson.encode(document)).isEqualTo("{\"a\":[1,{\"b\":[[],{}]}]}");
    }

    @Test
    void nestingAsDeepAsMongoDbAllowsIsEncoded() {
        BsonDocument document = new BsonDocument();
        String expected = "{}";
        for (int depth = 0; depth < 100; depth++) {
            boolean inArray = depth % 2 == 1;
            document = new BsonDocument("d", inArray ? new BsonArray(List.of(document)) : document);
            expected = inArray ? "{\"d\":[" + expected + "]}" : "{\"d\":" + expected + "}";
        }

        assertThat(BsonJson.encode(document)).isEqualTo(expected);
    }

    @Test
    void aDocumentOfSixteenMegabytesIsEncodedWhole() {
        String big = "x".repeat(16 * 1024 * 1024 - 64);

        String json = BsonJson.encode(new BsonDocument("_id", new BsonInt32(1)).append("big", new BsonString(big)));

        assertThat(json).hasSize(big.length() + "{\"_id\":1,\"big\":\"\"}".length());
    }

    @Test
    void theOldBinarySubtypeIsItsDataWithoutTheLengthItRepeats() {
        assertThat(encode(new BsonBinary((byte) 2, new byte[] {1, 2, 3}))).isEqualTo("{\"Data\":\"AQID\",\"Subtype\":2}");
    }

    @Test
    void aDocumentAsRawBsonEncodesAsItsDecodedForm() {
        BsonDocument decoded = new BsonDocument("_id", new BsonObjectId(new ObjectId("5f1a2b3c4d5e6f7081920a1b")))
            .append("n", new BsonArray(List.of(new BsonDouble(1.5), new BsonString("é\n"))))
            .append("d", new BsonDocument("t", new BsonTimestamp(5, 6)));
        RawBsonDocument raw = new RawBsonDocument(decoded, new BsonDocumentCodec());

        assertThat(BsonJson.encode(raw)).isEqualTo(BsonJson.encode(decoded))
            .isEqualTo("{\"_id\":\"5f1a2b3c4d5e6f7081920a1b\",\"n\":[1.5,\"é\\n\"],\"d\":{\"t\":{\"T\":5,\"I\":6}}}");
    }

    @Test
    void fieldOrderIsTheDocumentsOrder() {
        BsonDocument document = new BsonDocument("z", new BsonInt32(1)).append("a", new BsonInt32(2));

        assertThat(BsonJson.encode(document)).isEqualTo("{\"z\":1,\"a\":2}");
    }

    @Test
    void idColumnOfAnObjectIdIsItsHex() {
        assertThat(DocumentIds.toColumn(new BsonObjectId(new ObjectId("5f1a2b3c4d5e6f7081920a1b"))))
            .isEqualTo("5f1a2b3c4d5e6f7081920a1b");
    }

    @Test
    void idColumnOfAStringIsTheString() {
        assertThat(DocumentIds.toColumn(new BsonString("plain \"id\""))).isEqualTo("plain \"id\"");
    }

    @Test
    void idColumnOfANumberIsItsDecimalText() {
        assertThat(DocumentIds.toColumn(new BsonInt32(42))).isEqualTo("42");
        assertThat(DocumentIds.toColumn(new BsonInt64(-9_007_199_254_740_993L))).isEqualTo("-9007199254740993");
        assertThat(DocumentIds.toColumn(new BsonDouble(2.5))).isEqualTo("2.5");
    }

    @Test
    void idColumnOfADocumentIsItsCanonicalJson() {
        assertThat(DocumentIds.toColumn(new BsonDocument("k", new BsonInt32(1)).append("t", new BsonString("x"))))
            .isEqualTo("{\"k\":1,\"t\":\"x\"}");
    }

    @Test
    void idColumnOfOtherTypesIsTheirJson() {
        assertThat(DocumentIds.toColumn(new BsonBinary((byte) 4, new byte[] {1, 2, 3})))
            .isEqualTo("{\"Data\":\"AQID\",\"Subtype\":4}");
        assertThat(DocumentIds.toColumn(new BsonDateTime(0))).isEqualTo("\"1970-01-01T00:00:00Z\"");
        assertThat(DocumentIds.toColumn(new BsonDecimal128(Decimal128.parse("1.50")))).isEqualTo("\"1.50\"");
        assertThat(DocumentIds.toColumn(new BsonMinKey())).isEqualTo("\"MinKey\"");
    }
}
