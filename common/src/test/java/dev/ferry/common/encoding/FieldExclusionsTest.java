package dev.ferry.common.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

/** The doc column without excluded fields, as a MongoDB projection that excludes them would give the document. */
class FieldExclusionsTest {

    private static String encode(String document, String... excluded) {
        ByteBuilder out = new ByteBuilder(64);
        BsonJson.encode(BsonDocument.parse(document), out, FieldExclusions.of(List.of(excluded)));
        return out.toUtf8String();
    }

    @Test
    void aTopLevelFieldIsLeftOut() {
        assertThat(encode("{_id: 1, internalNotes: 'x', a: 2}", "internalNotes")).isEqualTo("{\"_id\":1,\"a\":2}");
    }

    @Test
    void aFirstAndALastFieldAreLeftOutWithoutStrayCommas() {
        assertThat(encode("{x: 1, _id: 2, y: 3}", "x", "y")).isEqualTo("{\"_id\":2}");
    }

    @Test
    void aNestedFieldIsLeftOutAndItsSiblingsStay() {
        assertThat(encode("{_id: 1, payment: {card: '4111', method: 'visa'}}", "payment.card"))
            .isEqualTo("{\"_id\":1,\"payment\":{\"method\":\"visa\"}}");
    }

    @Test
    void aPathThroughAnArrayLeavesTheFieldOutOfEachDocumentInIt() {
        assertThat(encode("{_id: 1, items: [{sku: 'a', cost: 1}, {sku: 'b', cost: 2}, 7]}", "items.cost"))
            .isEqualTo("{\"_id\":1,\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\"},7]}");
    }

    @Test
    void fieldsOfEveryTypeAreSkippedWhole() {
        String document = "{_id: 1, d: 1.5, s: 'str', o: {a: 1}, arr: [1, 2], bin: {$binary: {base64: 'AQID', "
            + "subType: '00'}}, oid: {$oid: '5f1a2b3c4d5e6f7081920a1b'}, b: true, date: {$date: 0}, n: null, "
            + "re: {$regularExpression: {pattern: 'a.*', options: 'i'}}, i: 3, ts: {$timestamp: {t: 1, i: 2}}, "
            + "l: {$numberLong: '5'}, dec: {$numberDecimal: '1.5'}, min: {$minKey: 1}, max: {$maxKey: 1}, "
            + "code: {$code: 'f()'}, keep: 'k'}";
        String[] all = {"d", "s", "o", "arr", "bin", "oid", "b", "date", "n", "re", "i", "ts", "l", "dec", "min",
            "max", "code"};

        assertThat(encode(document, all)).isEqualTo("{\"_id\":1,\"keep\":\"k\"}");
    }

    @Test
    void aPathThatIsNotThereChangesNothing() {
        assertThat(encode("{_id: 1, a: {b: 1}}", "a.c", "z.y")).isEqualTo(encode("{_id: 1, a: {b: 1}}"));
    }

    @Test
    void aFieldWithTheSameNameElsewhereStays() {
        assertThat(encode("{_id: 1, card: 'top', payment: {card: 'nested'}}", "payment.card"))
            .isEqualTo("{\"_id\":1,\"card\":\"top\",\"payment\":{}}");
    }
}
