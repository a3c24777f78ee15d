package dev.ferry.job.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.junit.jupiter.api.Test;

class StampCheckpointsTest {

    private final StampCheckpoints stamp = new StampCheckpoints();

    @Test
    void aRecordLearnsTheCheckpointThatCommitsIt() {
        SyncRecord record = new SyncRecord("p", "shop", "job", "changes#0", SyncRecord.NO_CHECKPOINT, List.of());

        CommittableMessage<SyncRecord> stamped = stamp.map(new CommittableWithLineage<>(record, 12, 0));

        assertThat(((CommittableWithLineage<SyncRecord>) stamped).getCommittable().checkpointId()).isEqualTo(12);
        assertThat(stamped.getCheckpointIdOrEOI()).isEqualTo(12);
    }

    @Test
    void aSummaryPasses() {
        CommittableSummary<SyncRecord> summary = new CommittableSummary<>(0, 1, 12, 1, 0, 0);

        assertThat(stamp.map(summary)).isSameAs(summary);
    }
}
