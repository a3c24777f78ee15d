package dev.ferry.job.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;

import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ferry.common.JobSpec;
import dev.ferry.common.Secret;
import dev.ferry.common.encoding.ByteBuilder;
import dev.ferry.common.sql.TableLayout;
import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.Operation;
import dev.ferry.job.row.TableRows;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/**
 * Typed columns as the job fills them, inserted into a real ClickHouse table in RowBinary and read back: each type
 * takes what fits it, and what does not fit becomes NULL or the type's default and is counted.
 */
@ExtendWith(ClickHouseExtension.class)
class TypedColumnsTest {

    private static final List<JobSpec.Column> COLUMNS = List.of(
        new JobSpec.Column("customer", "customer.id", "String"),
        new JobSpec.Column("qty", "qty", "Int64"),
        new JobSpec.Column("ratio", "ratio", "Float64"),
        new JobSpec.Column("total", "total", "Decimal(18, 2)"),
        new JobSpec.Column("big", "big", "Nullable(Decimal(38, 4))"),
        new JobSpec.Column("small", "small", "Decimal(9, 3)"),
        new JobSpec.Column("paid", "paid", "UInt8"),
        new JobSpec.Column("created", "createdAt", "DateTime"),
        new JobSpec.Column("note", "note", "Nullable(String)"),
        new JobSpec.Column("tags", "tags", "Array(String)"),
        new JobSpec.Column("skus", "items.sku", "Array(Nullable(Int64))"));
    private static final JobSpec.Table TABLE = new JobSpec.Table("shop", "orders", "orders")
        .withColumns(COLUMNS, List.of());

    private final ClickHouseServer clickHouse;

    TypedColumnsTest(ClickHouseServer clickHouse) {
        this.clickHouse = clickHouse;
    }

    private List<String> inserted(String json) throws Exception {
        String database = clickHouse.createDatabase("typed");
        TableLayout layout = new TableLayout("String", "DateTime", COLUMNS.stream()
            .map(column -> new TableLayout.Column(column.name(), column.type())).toList(), List.of(), "",
            java.util.Map.of());
        clickHouse.http().execute(layout.createStatement(database, "orders"));
        ChangeRow row = TableRows.of(TABLE).row(Operation.INSERT, "1", BsonDocument.parse(json), 7, new ByteBuilder(256));
        ByteBuilder rows = new ByteBuilder(256);
        RowBinaryRows.append(row, rows);
        try (ClickHouseInserts inserts = ClickHouseInserts.connect(new JobSpec.Destination(clickHouse.url(), database,
            "", Secret.NONE, false, false))) {
            byte[] bytes = rows.toByteArray();
            inserts.insert(new InsertTarget("`" + database + "`.`orders`",
                RowBinaryRows.columns(TableRows.of(TABLE).columns().names())), () -> new ByteArrayInputStream(bytes));
        }
        List<String> values = clickHouse.http().rows("SELECT customer, qty, ratio, total, big, small, paid, "
            + "toUnixTimestamp(created), note, tags, skus FROM " + database + ".orders").get(0);
        return List.of(String.join(" | ", values), Integer.toString(row.mismatches));
    }

    @Test
    void valuesThatFitTheirTypesArriveAsTheyAre() throws Exception {
        assertThat(inserted("{_id: 1, customer: {id: 'c-7'}, qty: {$numberLong: '12'}, ratio: 0.25, "
            + "total: {$numberDecimal: '1234.5'}, big: {$numberDecimal: '-98765432109876543210.1234'}, small: 3.25, "
            + "paid: true, createdAt: {$date: '2024-05-01T10:00:00.250Z'}, note: null, tags: ['a', 'b'], "
            + "items: [{sku: 5}, {sku: null}, {name: 'x'}]}"))
            .containsExactly("c-7 | 12 | 0.25 | 1234.50 | -98765432109876543210.1234 | 3.250 | 1 | 1714557600 | "
                + "\\N | ['a','b'] | [5,NULL]", "0");
    }

    @Test
    void valuesThatDoNotFitBecomeNullOrTheDefaultAndAreCounted() throws Exception {
        assertThat(inserted("{_id: 1, customer: {id: {nested: 1}}, qty: 'twelve', ratio: 'x', total: 1.5e30, "
            + "big: 'no', small: 'n', paid: 300, createdAt: 'not a date', tags: 'solo', items: {sku: 1}}"))
            .containsExactly(" | 0 | 0 | 0.00 | \\N | 0.000 | 0 | 0 | \\N | [] | []", "11");
    }

    @Test
    void numbersFitAStringColumnWholeDoublesFitInt64AndDecimalsRoundHalfToEven() throws Exception {
        assertThat(inserted("{_id: 1, customer: {id: 42}, qty: 3.0, ratio: 1, total: 2, small: -0.0015, "
            + "paid: 1, createdAt: '2024-05-01T10:00:00Z', note: 'n', tags: [], items: []}").get(0))
            .startsWith("42 | 3 | 1 | 2.00 | \\N | -0.002 | 1 | 1714557600 | n | [] | []");
    }
}
