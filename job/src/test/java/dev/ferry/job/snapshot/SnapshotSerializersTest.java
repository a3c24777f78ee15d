package dev.ferry.job.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/** Splits and the enumerator's state survive their checkpointed form, with bounds of any BSON type. */
class SnapshotSerializersTest {

    @Test
    void aSplitKeepsItsBoundsAndWhereItGoesOnOfEveryType() throws Exception {
        SnapshotSplit split = SnapshotSplit.range("orders@3", 2, 5, new BsonMinKey(), new BsonString("m"))
            .resumedAfter(new BsonDocument("k", new BsonInt64(1)), 41);
        SnapshotSplitSerializer serializer = new SnapshotSplitSerializer();

        SnapshotSplit read = serializer.deserialize(serializer.getVersion(), serializer.serialize(split));

        assertThat(read).isEqualTo(split);
    }

    @Test
    void aFinishedMarkKeepsItsFlag() throws Exception {
        SnapshotSplit split = SnapshotSplit.range("orders@3", 0, 5, new BsonObjectId(new ObjectId()), new BsonMaxKey())
            .asFinished();
        SnapshotSplitSerializer serializer = new SnapshotSplitSerializer();

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(split)).finished()).isTrue();
    }

    @Test
    void theEnumeratorsStateSurvivesItsCheckpointedForm() throws Exception {
        SnapshotEnumeratorState state = new SnapshotEnumeratorState(List.of("b@0", "c@0"),
            Map.of("a@0", Set.of("a@0#1", "a@0#2")),
            List.of(SnapshotSplit.range("a@0", 2, 3, new BsonString("x"), new BsonMaxKey())), Set.of("z@4"),
            Map.of("a@0", 12L, "z@4", 7L));
        SnapshotEnumeratorStateSerializer serializer = new SnapshotEnumeratorStateSerializer();

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state))).isEqualTo(state);
    }
}
