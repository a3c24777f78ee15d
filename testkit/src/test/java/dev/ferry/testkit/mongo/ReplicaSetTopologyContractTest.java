package dev.ferry.testkit.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.connection.ClusterType;
import com.mongodb.connection.ServerType;

/**
 * The emulator presents itself as the primary of a replica set, as the MongoDB manual describes {@code hello},
 * {@code replSetGetStatus} and {@code buildInfo}, and the official driver treats it as one.
 */
class ReplicaSetTopologyContractTest extends EmulatorContract {

    private static Document admin(Document command) {
        return client.getDatabase("admin").runCommand(command);
    }

    @Test
    void helloNamesTheReplicaSetAndThisMemberAsWritablePrimary() {
        Document hello = admin(new Document("hello", 1));

        String me = "127.0.0.1:" + emulator.port();
        assertThat(hello.getBoolean("isWritablePrimary")).isTrue();
        assertThat(hello.getString("setName")).isEqualTo("rs0");
        assertThat(hello.getList("hosts", String.class)).containsExactly(me);
        assertThat(hello.getString("primary")).isEqualTo(me);
        assertThat(hello.getString("me")).isEqualTo(me);
        assertThat(hello.getInteger("maxWireVersion")).isGreaterThanOrEqualTo(13);
    }

    @Test
    void legacyIsMasterAnswersLikeHello() {
        Document isMaster = admin(new Document("isMaster", 1));

        assertThat(isMaster.getBoolean("ismaster")).isTrue();
        assertThat(isMaster.getString("setName")).isEqualTo("rs0");
    }

    @Test
    void theDriverDiscoversAReplicaSetWithAPrimary() {
        client.getDatabase("topology").getCollection("c").insertOne(new Document("x", 1));

        var cluster = client.getClusterDescription();
        assertThat(cluster.getType()).isEqualTo(ClusterType.REPLICA_SET);
        assertThat(cluster.getServerDescriptions()).singleElement()
            .satisfies(server -> assertThat(server.getType()).isEqualTo(ServerType.REPLICA_SET_PRIMARY));
    }

    @Test
    void everyReplyCarriesClusterTimeAndOperationTime() {
        Document ping = admin(new Document("ping", 1));

        assertThat(ping.get("operationTime")).isInstanceOf(BsonTimestamp.class);
        Document clusterTime = ping.get("$clusterTime", Document.class);
        assertThat(clusterTime.get("clusterTime")).isInstanceOf(BsonTimestamp.class);
        assertThat(clusterTime.get("signature", Document.class)).containsKeys("hash", "keyId");
    }

    @Test
    void operationTimeOfAWriteIsAtLeastTheClusterTimeBeforeIt() {
        BsonTimestamp before = (BsonTimestamp) admin(new Document("ping", 1)).get("operationTime");

        Document insert = client.getDatabase("topology").runCommand(new Document("insert", "times")
            .append("documents", List.of(new Document("_id", 1))));

        assertThat(((BsonTimestamp) insert.get("operationTime")).compareTo(before)).isPositive();
    }

    @Test
    void replSetGetStatusListsThisMemberAsPrimary() {
        Document status = admin(new Document("replSetGetStatus", 1));

        assertThat(status.getString("set")).isEqualTo("rs0");
        assertThat(status.getInteger("myState")).isEqualTo(1);
        Document member = status.getList("members", Document.class).get(0);
        assertThat(member.getString("stateStr")).isEqualTo("PRIMARY");
        assertThat(member.getBoolean("self")).isTrue();
        assertThat(member.get("optime", Document.class).get("ts")).isInstanceOf(BsonTimestamp.class);
    }

    @Test
    void buildInfoReportsMongoDb50() {
        Document buildInfo = admin(new Document("buildInfo", 1));

        assertThat(buildInfo.getString("version")).startsWith("5.0");
        assertThat(buildInfo.getList("versionArray", Integer.class)).startsWith(5, 0);
    }
}
