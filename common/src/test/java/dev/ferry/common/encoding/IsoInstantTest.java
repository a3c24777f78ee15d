package dev.ferry.common.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

class IsoInstantTest {

    private static String written(long epochMillis) {
        ByteBuilder out = new ByteBuilder(32);
        IsoInstant.write(epochMillis, out);
        return out.toUtf8String();
    }

    @Test
    void writesWhatInstantWritesForRandomDatesOfEveryEra() {
        Random random = new Random(9);
        for (int i = 0; i < 100_000; i++) {
            // from about 292 million years before the epoch to as many after, and often near today
            long millis = i % 2 == 0 ? random.nextLong() / 1_000 : 1_700_000_000_000L + random.nextInt();
            assertThat(written(millis)).as("%d", millis).isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
    }

    @Test
    void writesWhatInstantWritesAtTheEdges() {
        long[] edges = {0, -1, 1, 999, 1_000, -62_167_219_200_000L, -62_167_219_200_001L, 253_402_300_799_999L,
            253_402_300_800_000L, 951_782_400_000L /* 2000-02-29 */, -2_203_891_200_000L /* 1900-03-01 */,
            Long.MAX_VALUE, Long.MIN_VALUE};
        for (long millis : edges) {
            assertThat(written(millis)).as("%d", millis).isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
    }
}
