package dev.ferry.testkit.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tests get a real ClickHouse server from the extension and keep apart by database. */
@ExtendWith(ClickHouseExtension.class)
class ClickHouseExtensionTest {

    @Test
    void theServerAnswersQueriesOverHttp(ClickHouseServer clickHouse) {
        assertThat(clickHouse.http().value("SELECT 1 + 1")).isEqualTo("2");
        assertThat(clickHouse.url()).startsWith("http://127.0.0.1:");
    }

    @Test
    void theServerIsSharedAcrossTestsOfTheJvm(ClickHouseServer first, ClickHouseServer second) {
        assertThat(first).isSameAs(second);
    }

    @Test
    void eachCreatedDatabaseIsSeparate(ClickHouseServer clickHouse) {
        String a = clickHouse.createDatabase("iso");
        String b = clickHouse.createDatabase("iso");
        clickHouse.http().execute("CREATE TABLE " + a + ".t (x UInt8) ENGINE = Memory");
        clickHouse.http().execute("INSERT INTO " + a + ".t VALUES (1)");

        assertThat(a).isNotEqualTo(b);
        assertThat(clickHouse.http().rows("SELECT name FROM system.tables WHERE database = '" + b + "'")).isEmpty();
        assertThat(clickHouse.http().value("SELECT count() FROM " + a + ".t")).isEqualTo("1");
    }

    @Test
    void replacingMergeTreeWithFinalKeepsTheHighestVersion(ClickHouseServer clickHouse) {
        String db = clickHouse.createDatabase("rmt");
        clickHouse.http().execute("CREATE TABLE " + db + ".t (_id String, v Int64) "
            + "ENGINE = ReplacingMergeTree(v) ORDER BY _id");
        clickHouse.http().execute("INSERT INTO " + db + ".t VALUES ('a', 2), ('a', 1), ('b', 1)");

        assertThat(clickHouse.http().rows("SELECT _id, v FROM " + db + ".t FINAL ORDER BY _id"))
            .containsExactly(List.of("a", "2"), List.of("b", "1"));
    }

    @Test
    void aRefusedStatementFailsWithClickHousesMessage(ClickHouseServer clickHouse) {
        assertThatThrownBy(() -> clickHouse.http().execute("SELECT * FROM no_such_database.t"))
            .isInstanceOf(ClickHouseHttp.ClickHouseException.class)
            .hasMessageContaining("no_such_database");
    }

    @Test
    void aReadOnlyUserCanReadButNotCreateUntilItIsMadeAFullUser(ClickHouseServer clickHouse) {
        String db = clickHouse.createDatabase("users");
        clickHouse.putUser("reader", "secret", true);
        ClickHouseHttp reader = clickHouse.http().as("reader", "secret");

        assertThat(reader.value("SELECT 1")).isEqualTo("1");
        assertThatThrownBy(() -> reader.execute("CREATE TABLE " + db + ".t (x UInt8) ENGINE = Memory"))
            .hasMessageContaining("Code: 164");

        clickHouse.putUser("reader", "secret", false);
        reader.execute("CREATE TABLE " + db + ".t (x UInt8) ENGINE = Memory");
        assertThat(clickHouse.http().value("EXISTS TABLE " + db + ".t")).isEqualTo("1");
    }
}
