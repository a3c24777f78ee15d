package dev.ferry.job.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

class SyncRecordSerializerTest {

    private final SyncRecordSerializer serializer = new SyncRecordSerializer();

    @Test
    void aRecordSurvivesItsCheckpointedForm() throws IOException {
        SyncRecord record = new SyncRecord("p-1", "shop", "0a1b", "changes#0", 42, List.of(
            new TableSync("orders", 7, 1, 2, 3, 4, 5, 600, 7, "x-1", 80, 900, 901, 2, 10),
            new TableSync("items", 9, 0, 0, 0, 0, 1, 30, 0, "", 3, 950, 950, 0, 0)));

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(record))).isEqualTo(record);
    }

    @Test
    void anUnknownVersionIsRefused() {
        assertThatThrownBy(() -> serializer.deserialize(99, new byte[0])).hasMessageContaining("version 99");
    }
}
