package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/**
 * Several operations on one document inside one transaction share one cluster time; the last one wins in
 * ClickHouse, by the statement's place in the transaction.
 */
@ExtendWith(ClickHouseExtension.class)
class TransactionsIT extends WithController {

    @Test
    void theLastOperationOnADocumentInsideATransactionWins(ClickHouseServer clickHouse) {
        String db = "txn_" + UUID.randomUUID().toString().substring(0, 8);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        orders.insertOne(new Document("_id", 1).append("v", 0));
        orders.insertOne(new Document("_id", 2).append("v", 0));
        String id = runningPipe(clickHouse, db, "orders", "{\"syncIntervalSeconds\": 1}");
        // every version stays visible below
        clickHouse.http().execute("SYSTEM STOP MERGES " + db + ".orders");

        try (ClientSession session = mongo.startSession()) {
            session.startTransaction();
            orders.updateOne(session, Filters.eq("_id", 1), Updates.set("v", 1));
            orders.replaceOne(session, Filters.eq("_id", 1), new Document("v", 2));
            orders.updateOne(session, Filters.eq("_id", 1), Updates.set("v", 3));
            orders.deleteOne(session, Filters.eq("_id", 2));
            orders.insertOne(session, new Document("_id", 2).append("v", "back"));
            orders.insertOne(session, new Document("_id", 3).append("v", "short-lived"));
            orders.deleteOne(session, Filters.eq("_id", 3));
            session.commitTransaction();
        }

        Pipes.awaitEqual(clickHouse, db, "orders", orders);
        assertThat(clickHouse.http().value("SELECT doc FROM " + db + ".orders FINAL WHERE _id = '1'"))
            .isEqualTo("{\"_id\":1,\"v\":3}");
        assertThat(clickHouse.http().value("SELECT uniqExact(_peerdb_version) FROM " + db + ".orders WHERE "
            + "_peerdb_version > (SELECT min(_peerdb_version) FROM " + db + ".orders)"))
            .as("one version per statement").isEqualTo("7");
        api.delete("/v1/pipes/" + id);
    }
}
