package dev.ferry.job.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonTimestamp;
import org.bson.codecs.DecoderContext;
import org.junit.jupiter.api.Test;

import com.mongodb.MongoClientSettings;
import com.mongodb.client.model.changestream.ChangeStreamDocument;

import dev.ferry.common.JobSpec;
import dev.ferry.common.PipeFailureException;
import dev.ferry.common.encoding.FieldExclusions;
import dev.ferry.job.row.ChangeRow;
import dev.ferry.job.row.Operation;
import dev.ferry.job.row.TableRows;
import dev.ferry.job.row.TypedColumns;

/** The row each kind of change event leaves in its table, or that it leaves none. */
class ChangeEventRowsTest {

    private final ChangeEventRows rows = new ChangeEventRows(new WatchedCollections(Map.of("shop.orders", "orders")));

    /** A change event as the server sends it, decoded by the driver as the job's reader decodes it. */
    private static ChangeStreamDocument<BsonDocument> event(String json) {
        BsonDocument raw = BsonDocument.parse(json);
        raw.putIfAbsent("_id", BsonDocument.parse("{\"_data\": \"8200\"}"));
        raw.putIfAbsent("clusterTime", new BsonTimestamp(1_700_000_000, 5));
        return ChangeStreamDocument.createCodec(BsonDocument.class, MongoClientSettings.getDefaultCodecRegistry())
            .decode(new BsonDocumentReader(raw), DecoderContext.builder().build());
    }

    private Optional<ChangeRow> rowOf(String json) {
        return rows.rowOf(event(json), 0);
    }

    @Test
    void anInsertWritesTheDocument() {
        ChangeRow row = rowOf("{operationType: 'insert', ns: {db: 'shop', coll: 'orders'}, documentKey: {_id: 1},"
            + " fullDocument: {_id: 1, qty: 2}}").orElseThrow();

        assertThat(row.id).isEqualTo("1");
        assertThat(row.docText()).isEqualTo("{\"_id\":1,\"qty\":2}");
        assertThat(row.deleted).isFalse();
    }

    @Test
    void anUpdateWritesTheDocumentAsTheLookupFoundIt() {
        ChangeRow row = rowOf("{operationType: 'update', ns: {db: 'shop', coll: 'orders'}, documentKey: {_id: 1},"
            + " updateDescription: {updatedFields: {qty: 3}, removedFields: []}, fullDocument: {_id: 1, qty: 3}}")
            .orElseThrow();

        assertThat(row.docText()).isEqualTo("{\"_id\":1,\"qty\":3}");
    }

    @Test
    void anUpdateWhoseDocumentWasGoneAtLookupWritesNothingAndOnlyPassesItsPosition() {
        ChangeRow row = rowOf("{operationType: 'update', ns: {db: 'shop', coll: 'orders'}, documentKey: {_id: 1},"
            + " updateDescription: {updatedFields: {qty: 3}, removedFields: []}, fullDocument: null}").orElseThrow();

        assertThat(row.operation).isEqualTo(Operation.POSITION);
        assertThat(row.operation.isWritten()).isFalse();
        assertThat(row.version).isPositive();
    }

    @Test
    void aDeleteWritesADeletionRow() {
        ChangeRow row = rowOf("{operationType: 'delete', ns: {db: 'shop', coll: 'orders'}, documentKey: {_id: 1}}")
            .orElseThrow();

        assertThat(row.deleted).isTrue();
        assertThat(row.id).isEqualTo("1");
    }

    @Test
    void changesOfOtherCollectionsWriteNothing() {
        assertThat(rowOf("{operationType: 'insert', ns: {db: 'shop', coll: 'carts'}, documentKey: {_id: 1},"
            + " fullDocument: {_id: 1}}")).isEmpty();
    }

    @Test
    void theStatementsOfOneTransactionGetIncreasingVersionsSoTheLastWins() {
        ChangeStreamDocument<BsonDocument> first = event("{operationType: 'update', ns: {db: 'shop', coll: 'orders'},"
            + " documentKey: {_id: 1}, fullDocument: {_id: 1, qty: 1}, txnNumber: {$numberLong: '4'}}");
        ChangeStreamDocument<BsonDocument> last = event("{operationType: 'replace', ns: {db: 'shop', coll: 'orders'},"
            + " documentKey: {_id: 1}, fullDocument: {_id: 1, qty: 9}, txnNumber: {$numberLong: '4'}}");

        ChangeRow firstRow = rows.rowOf(first, 0).orElseThrow();
        ChangeRow lastRow = rows.rowOf(last, 1).orElseThrow();

        assertThat(first.getClusterTime()).isEqualTo(last.getClusterTime());
        assertThat(lastRow.version).isGreaterThan(firstRow.version);
    }

    @Test
    void aDropOfAWatchedCollectionBecomesADroppedRow() {
        ChangeRow row = rowOf("{operationType: 'drop', ns: {db: 'shop', coll: 'orders'}}").orElseThrow();

        assertThat(row.operation).isEqualTo(Operation.DROPPED);
        assertThat(row.table).isEqualTo("orders");
    }

    @Test
    void aRenameOfAWatchedCollectionBecomesARenamedRowNamingTheNewNamespace() {
        ChangeRow row = rowOf("{operationType: 'rename', ns: {db: 'shop', coll: 'orders'},"
            + " to: {db: 'shop', coll: 'orders_old'}}").orElseThrow();

        assertThat(row.operation).isEqualTo(Operation.RENAMED);
        assertThat(row.docText()).isEqualTo("shop.orders_old");
    }

    @Test
    void aDropDatabaseEventWritesNothingSinceTheDropsOfItsCollectionsCameFirst() {
        assertThat(rowOf("{operationType: 'dropDatabase', ns: {db: 'shop'}}")).isEmpty();
    }

    private static final ChangeEventRows AUDIT = new ChangeEventRows(new WatchedCollections(
        Map.of("shop.orders", "orders"), Map.of("orders", new TableRows("orders", FieldExclusions.of(List.of("payment.card")), TypedColumns.NONE)),
        Set.of("orders")));

    @Test
    void aTableWithExcludedFieldsGetsTheDocumentWithoutThem() {
        ChangeRow row = AUDIT.rowOf(event("{operationType: 'update', ns: {db: 'shop', coll: 'orders'}, "
            + "documentKey: {_id: 1}, updateDescription: {updatedFields: {'payment.card': '4111'}, removedFields: []},"
            + " fullDocument: {_id: 1, payment: {card: '4111', method: 'visa'}}}"), 0).orElseThrow();

        assertThat(row.docText()).isEqualTo("{\"_id\":1,\"payment\":{\"method\":\"visa\"}}");
    }

    @Test
    void aTableThatKeepsDeletesGetsNoRowForADeleteOnlyItsPosition() {
        assertThat(AUDIT.rowOf(event("{operationType: 'delete', ns: {db: 'shop', coll: 'orders'}, "
            + "documentKey: {_id: 1}}"), 0).orElseThrow().operation).isEqualTo(Operation.POSITION);
    }

    @Test
    void anUpdateReadWithPostImagesThatCameWithoutOneFailsThePipeRatherThanLoseIt() {
        ChangeEventRows withImages = new ChangeEventRows(new WatchedCollections(Map.of("shop.orders", "orders")), true);

        assertThatThrownBy(() -> withImages.rowOf(event("{operationType: 'update', ns: {db: 'shop', coll: 'orders'},"
            + " documentKey: {_id: 1}, updateDescription: {updatedFields: {qty: 3}, removedFields: []},"
            + " fullDocument: null}"), 0))
            .isInstanceOf(PipeFailureException.class).hasMessageStartingWith("POST_IMAGE_MISSING");
    }

    private static final ChangeEventRows TYPED = new ChangeEventRows(new WatchedCollections(
        Map.of("shop.orders", "orders"), Map.of("orders", TableRows.of(new JobSpec.Table("shop", "orders", "orders")
            .withColumns(List.of(new JobSpec.Column("region", "region", "String"),
                new JobSpec.Column("qty", "qty", "Int64")), List.of("region")))), Set.of()));

    @Test
    void aRowOfATableWithTypedColumnsCarriesTheirValuesKeyFirstAndCountsWhatDidNotFit() {
        ChangeRow row = TYPED.rowOf(event("{operationType: 'insert', ns: {db: 'shop', coll: 'orders'}, "
            + "documentKey: {_id: 1}, fullDocument: {_id: 1, region: 'eu', qty: 'many'}}"), 0).orElseThrow();

        assertThat(row.columns).containsExactly(2, 'e', 'u', 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(row.keyLength).isEqualTo(3);
        assertThat(row.mismatches).isEqualTo(1);
    }

    @Test
    void aDeleteOfATableWithTypedColumnsCarriesTheirDefaultsAndNoMismatches() {
        ChangeRow row = TYPED.rowOf(event("{operationType: 'delete', ns: {db: 'shop', coll: 'orders'}, "
            + "documentKey: {_id: 1}}"), 0).orElseThrow();

        assertThat(row.deleted).isTrue();
        assertThat(row.columns).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(row.keyLength).isEqualTo(1);
        assertThat(row.mismatches).isZero();
    }
}
