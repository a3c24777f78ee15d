package dev.ferry.job.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.connector.mongodb.source.split.MongoScanSourceSplit;
import org.apache.flink.connector.mongodb.source.split.MongoSourceSplit;
import org.apache.flink.connector.mongodb.source.split.MongoSourceSplitSerializer;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

/** A snapshot partition restored half-read is read again from its start, and otherwise unchanged. */
class RereadPartitionsSourceTest {

    private final RereadPartitionsSource.FromTheStart serializer =
        new RereadPartitionsSource.FromTheStart(MongoSourceSplitSerializer.INSTANCE);

    private static MongoScanSourceSplit partition(int offset) {
        return new MongoScanSourceSplit("shop.orders_3", "shop", "orders", new BsonDocument("_id", new BsonInt32(100)),
            new BsonDocument("_id", new BsonInt32(200)), new BsonDocument("_id", new BsonInt32(1)), offset);
    }

    @Test
    void aHalfReadPartitionIsRestoredFromItsStart() throws Exception {
        MongoSourceSplit restored = serializer.deserialize(serializer.getVersion(), serializer.serialize(partition(37)));

        assertThat(restored).isEqualTo(partition(0));
    }

    @Test
    void anUnreadPartitionIsRestoredAsItWas() throws Exception {
        MongoSourceSplit restored = serializer.deserialize(serializer.getVersion(), serializer.serialize(partition(0)));

        assertThat(restored).isEqualTo(partition(0));
    }

    @Test
    void theConnectorsFormatIsKept() throws Exception {
        assertThat(serializer.getVersion()).isEqualTo(MongoSourceSplitSerializer.INSTANCE.getVersion());
        assertThat(serializer.serialize(partition(5))).isEqualTo(MongoSourceSplitSerializer.INSTANCE.serialize(partition(5)));
    }
}
