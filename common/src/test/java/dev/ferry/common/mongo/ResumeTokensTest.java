package dev.ferry.common.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.Test;

/** The cluster time at the start of a MongoDB 4.2+ resume token. */
class ResumeTokensTest {

    private static BsonDocument token(String data) {
        return BsonDocument.parse("{\"_data\": \"" + data + "\"}");
    }

    @Test
    void aTokenOfAnEventGivesItsClusterTime() {
        // the shape of a token mongod 6.0 issued for an insert at Timestamp(1680000000, 3)
        BsonDocument token = token("826422C400000000032B022C0100296E5A1004A1B2C3D4E5F6071829"
            + "3A4B5C6D7E8F46645F696400646422C4000000000000000004");

        assertThat(ResumeTokens.clusterTime(token)).hasValue(new BsonTimestamp(1680000000, 3).getValue());
    }

    @Test
    void lowerCaseHexIsReadToo() {
        assertThat(ResumeTokens.clusterTime(token("826422c400000000030a"))).hasValue(
            new BsonTimestamp(1680000000, 3).getValue());
    }

    @Test
    void aTokenOfAnotherFormHasNoClusterTime() {
        assertThat(ResumeTokens.clusterTime(token("0123456789abcdef0123"))).isEmpty();
        assertThat(ResumeTokens.clusterTime(token("8264"))).isEmpty();
        assertThat(ResumeTokens.clusterTime(token("82zz22c40000000003"))).isEmpty();
        assertThat(ResumeTokens.clusterTime(new BsonDocument("_data", new BsonInt32(1)))).isEmpty();
        assertThat(ResumeTokens.clusterTime(new BsonDocument())).isEmpty();
        assertThat(ResumeTokens.clusterTime(null)).isEmpty();
    }
}
