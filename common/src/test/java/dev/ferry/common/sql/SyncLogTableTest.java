package dev.ferry.common.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The sync log's statements as the job and the controller render them. */
class SyncLogTableTest {

    private final SyncLogTable log = new SyncLogTable("ops", "syncs");

    @Test
    void itIsNamedDatabaseDotTable() {
        assertThat(SyncLogTable.parse("ops.syncs")).isEqualTo(log);
        assertThat(SyncLogTable.DEFAULT.toString()).isEqualTo("ferry.sync_log");
        assertThatThrownBy(() -> SyncLogTable.parse("syncs")).hasMessageContaining("database.table");
        assertThatThrownBy(() -> SyncLogTable.parse("ops.sync-log")).hasMessageContaining("not a valid");
    }

    @Test
    void theLogTheTotalsAndTheViewBetweenThemAreCreatedInTheirDatabase() {
        List<String> statements = log.createStatements(0);

        assertThat(statements).hasSize(4);
        assertThat(statements.get(0)).isEqualTo("CREATE DATABASE IF NOT EXISTS `ops`");
        assertThat(statements.get(1)).startsWith("CREATE TABLE IF NOT EXISTS `ops`.`syncs`").doesNotContain("TTL");
        assertThat(statements.get(2)).startsWith("CREATE TABLE IF NOT EXISTS `ops`.`syncs_totals`");
        assertThat(statements.get(3)).startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS `ops`.`syncs_totals_mv` "
            + "TO `ops`.`syncs_totals`").contains("FROM `ops`.`syncs`");
    }

    @Test
    void rowsExpireAfterTheirDaysOnlyWhenAskedAndOnlyInTheLog() {
        List<String> statements = log.createStatements(30);

        assertThat(statements.get(1)).endsWith("TTL `committed_at` + toIntervalDay(30)");
        assertThat(statements.get(2)).doesNotContain("TTL");
    }

    @Test
    void valuesInQueriesAreLiteralsThatCannotChangeTheirShape() {
        String query = log.writtenQuery("p' OR '1'='1", "job", 3, "changes#0");

        assertThat(query).contains("`pipe_id` = 'p\\' OR \\'1\\'=\\'1'").contains("`checkpoint_id` = 3");
    }

    @Test
    void theSecondsBoundThatPrunesPartitionsKeepsTheSyncsOfTheSinceSecond() {
        assertThat(log.historyQuery("p", 1_700_000_000_900L, 5)).contains("toDateTime(1700000000)")
            .contains("`committed_ms` >= 1700000000900").contains("LIMIT 5");
    }
}
