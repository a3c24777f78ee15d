package dev.ferry.common.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/** The destination DDL in sql/ creates ClickPipes' table shape on a real ClickHouse server. */
@ExtendWith(ClickHouseExtension.class)
class DestinationTableDdlTest {

    private static String createTable(String database, String table) {
        return TableLayout.plain("String", "DateTime").createStatement(database, table);
    }

    @Test
    void theTableHasClickPipesColumns(ClickHouseServer clickHouse) {
        String db = clickHouse.createDatabase("ddl");
        clickHouse.http().execute(createTable(db, "orders"));

        assertThat(clickHouse.http().rows("DESCRIBE TABLE " + db + ".orders").stream()
            .map(column -> column.subList(0, 2))).containsExactly(
            List.of("_id", "String"), List.of("doc", "String"), List.of("_peerdb_synced_at", "DateTime"),
            List.of("_peerdb_version", "Int64"), List.of("_peerdb_is_deleted", "Int8"));
    }

    @Test
    void finalKeepsTheRowWithTheHighestVersionAndDeletesAreRows(ClickHouseServer clickHouse) {
        String db = clickHouse.createDatabase("ddl");
        clickHouse.http().execute(createTable(db, "orders"));
        clickHouse.http().execute("INSERT INTO " + db + ".orders (_id, doc, _peerdb_version, _peerdb_is_deleted) "
            + "VALUES ('a', '{\"v\":2}', 2, 0), ('a', '{\"v\":1}', 1, 0), ('b', '{}', 1, 0), ('b', '{}', 5, 1)");

        assertThat(clickHouse.http().rows("SELECT _id, doc FROM " + db + ".orders FINAL "
            + "WHERE _peerdb_is_deleted = 0 ORDER BY _id")).containsExactly(List.of("a", "{\"v\":2}"));
    }

    @Test
    void aLayoutsTypedColumnsFollowFerrysOwnWithItsSortingKeyPartitionsAndSettings(ClickHouseServer clickHouse) {
        String db = clickHouse.createDatabase("ddl");
        TableLayout layout = new TableLayout("String", "DateTime", List.of(new TableLayout.Column("region", "String"),
            new TableLayout.Column("created", "DateTime"), new TableLayout.Column("total", "Nullable(Decimal(18, 2))")),
            List.of("region", "_id"), "toYYYYMM(created)", Map.of("index_granularity", "1024"));
        clickHouse.http().execute(layout.createStatement(db, "orders"));

        assertThat(clickHouse.http().rows("DESCRIBE TABLE " + db + ".orders").stream()
            .map(column -> column.get(0))).containsExactly("_id", "doc", "_peerdb_synced_at", "_peerdb_version",
            "_peerdb_is_deleted", "region", "created", "total");
        assertThat(clickHouse.http().value("SHOW CREATE TABLE " + db + ".orders"))
            .contains("PARTITION BY toYYYYMM(created) ORDER BY (region, _id) SETTINGS index_granularity = 1024");
    }

    @Test
    void aColumnAddedLaterLandsAtTheEndWhereANewTableHasIt(ClickHouseServer clickHouse) {
        String db = clickHouse.createDatabase("ddl");
        clickHouse.http().execute(createTable(db, "orders"));
        clickHouse.http().execute(TableLayout.addColumnStatement(db, "orders", new TableLayout.Column("qty",
            "Int64")));

        assertThat(clickHouse.http().rows("DESCRIBE TABLE " + db + ".orders").stream()
            .map(column -> column.get(0))).endsWith("_peerdb_is_deleted", "qty");
    }

    @Test
    void creatingTheDatabaseTwiceIsHarmless(ClickHouseServer clickHouse) {
        String statement = SqlTemplate.load("create_database").render(Map.of("database", "ddl_twice"));
        clickHouse.http().execute(statement);
        clickHouse.http().execute(statement);

        assertThat(clickHouse.http().value("SELECT count() FROM system.databases WHERE name = 'ddl_twice'"))
            .isEqualTo("1");
    }

    @Test
    void aNameThatIsNotAPlainIdentifierIsRefused() {
        assertThatThrownBy(() -> createTable("db", "orders`; DROP TABLE x; --"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not a valid name");
    }

    @Test
    void aMissingValueIsRefused() {
        assertThatThrownBy(() -> SqlTemplate.load("create_table").render(Map.of("database", "db")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("${table}");
    }
}
