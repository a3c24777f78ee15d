package dev.ferry.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class VersionsTest {

    private static long seconds(String instant) {
        return Instant.parse(instant).getEpochSecond();
    }

    @Test
    void laterClusterTimesHaveHigherVersions() {
        long t = seconds("2026-11-24T12:00:00Z");
        assertThat(Versions.of(t, 5, 0)).isLessThan(Versions.of(t, 6, 0));
        assertThat(Versions.of(t, 999, 0)).isLessThan(Versions.of(t + 1, 1, 0));
    }

    @Test
    void statementsOfOneTransactionAreOrderedByTheirIndex() {
        long t = seconds("2026-11-24T12:00:00Z");
        assertThat(Versions.of(t, 7, 0)).isLessThan(Versions.of(t, 7, 1));
        assertThat(Versions.of(t, 7, 1022)).isLessThan(Versions.of(t, 8, 0));
    }

    @Test
    void theSameChangeAlwaysGetsTheSameVersion() {
        long t = seconds("2030-01-01T00:00:00Z");
        assertThat(Versions.of(t, 3, 2)).isEqualTo(Versions.of(t, 3, 2));
    }

    @Test
    void versionsStayPositiveAndOrderedBeyondTheYear2100() {
        long v2099 = Versions.of(seconds("2099-12-31T23:59:59Z"), (1 << 21) - 1, 1023);
        long v2100 = Versions.of(seconds("2100-01-01T00:00:00Z"), 1, 0);
        long v2150 = Versions.of(seconds("2150-01-01T00:00:00Z"), 1, 0);
        assertThat(v2099).isPositive().isLessThan(v2100);
        assertThat(v2150).isPositive().isGreaterThan(v2100);
    }

    @Test
    void aSnapshotRowLosesToEveryChangeFromTheStreamStart() {
        long t = seconds("2026-11-24T12:00:00Z");
        long snapshot = Versions.snapshotVersion(t, 4);
        assertThat(snapshot).isLessThan(Versions.of(t, 4, 0));
        assertThat(snapshot).isGreaterThan(Versions.of(t, 3, 0));
    }
}
