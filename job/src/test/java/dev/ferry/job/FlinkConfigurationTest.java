package dev.ferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.Test;

/** flink-conf/ is read by Flink itself as the embedded cluster's configuration. */
class FlinkConfigurationTest {

    private static final Configuration CONFIG = GlobalConfiguration.loadConfiguration(
        Path.of(System.getProperty("user.dir")).getParent().resolve("flink-conf").toString());

    @Test
    void stateLivesInIncrementalRocksDb() {
        assertThat(CONFIG.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(CONFIG.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    }

    @Test
    void checkpointsAreTakenRegularlyAndSomeAreRetainedForFallback() {
        assertThat(CONFIG.get(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTING_INTERVAL))
            .isEqualTo(Duration.ofSeconds(10));
        assertThat(CONFIG.get(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS)).isGreaterThan(1);
        assertThat(CONFIG.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isNotBlank();
        assertThat(CONFIG.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).isNotBlank();
    }

    @Test
    void failuresAreRetriedWithExponentialBackoff() {
        assertThat(CONFIG.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(CONFIG.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
            .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void theRestApiListensOnLoopbackOnly() {
        assertThat(CONFIG.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(CONFIG.get(RestOptions.PORT)).isEqualTo(8081);
    }
}
