package dev.ferry.testkit.mongo;

import static dev.ferry.testkit.mongo.EventReader.operationTypes;
import static dev.ferry.testkit.mongo.EventReader.take;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.ClientSession;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/** A committed transaction reaches change streams as MongoDB's oplog has it: at commit, at one cluster time. */
class TransactionsContractTest extends EmulatorContract {

    @Test
    void aCommittedTransactionsChangesArriveAtCommitSharingOneClusterTimeInStatementOrder() {
        MongoCollection<Document> orders = client.getDatabase("txn_" + UUID.randomUUID().toString().substring(0, 8))
            .getCollection("orders");
        orders.insertOne(new Document("_id", 1).append("v", 0));
        try (MongoCursor<Document> stream = orders.watch().maxAwaitTime(200, TimeUnit.MILLISECONDS)
                 .withDocumentClass(Document.class).cursor();
             ClientSession session = client.startSession()) {
            session.startTransaction();
            orders.updateOne(session, Filters.eq("_id", 1), Updates.set("v", 1));
            orders.insertOne(session, new Document("_id", 2));
            orders.replaceOne(session, Filters.eq("_id", 1), new Document("v", 2));
            assertThat(stream.tryNext()).as("nothing before the commit").isNull();

            session.commitTransaction();
            List<Document> events = take(stream, 3);

            assertThat(operationTypes(events)).containsExactly("update", "insert", "replace");
            BsonTimestamp first = (BsonTimestamp) events.get(0).get("clusterTime");
            assertThat(events).allSatisfy(event -> assertThat(event.get("clusterTime")).isEqualTo(first));
            assertThat(events.get(0).get("_id", Document.class).getString("_data"))
                .isLessThan(events.get(2).get("_id", Document.class).getString("_data"));
        }
    }

    @Test
    void writesOutsideATransactionStillGetAClusterTimeEach() {
        MongoCollection<Document> orders = client.getDatabase("txn_" + UUID.randomUUID().toString().substring(0, 8))
            .getCollection("orders");
        try (MongoCursor<Document> stream = orders.watch().withDocumentClass(Document.class).cursor()) {
            orders.insertOne(new Document("_id", 1));
            orders.insertOne(new Document("_id", 2));

            List<Document> events = take(stream, 2);

            assertThat(events.get(0).get("clusterTime")).isNotEqualTo(events.get(1).get("clusterTime"));
        }
    }
}
