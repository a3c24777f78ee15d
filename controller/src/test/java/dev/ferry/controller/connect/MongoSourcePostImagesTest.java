package dev.ferry.controller.connect;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.ChangeStreamPreAndPostImagesOptions;
import com.mongodb.client.model.CreateCollectionOptions;

import dev.ferry.controller.pipe.SourceSpec;
import dev.ferry.controller.pipe.TableMapping;
import dev.ferry.testkit.mongo.ReplicaSetEmulator;
import dev.ferry.testkit.mongo.ServerVersion;

/** The check of a post-image pipe's collections looks at each mapped collection, whatever else the database has. */
class MongoSourcePostImagesTest {

    private static ReplicaSetEmulator emulator;
    private static MongoClient client;

    @BeforeAll
    static void start() {
        emulator = ReplicaSetEmulator.builder().serverVersion(ServerVersion.V7_0).start();
        client = MongoClients.create(emulator.connectionString());
        // the collection that keeps post-images is created first, so that it comes first in every listing
        client.getDatabase("images").createCollection("kept", new CreateCollectionOptions()
            .changeStreamPreAndPostImagesOptions(new ChangeStreamPreAndPostImagesOptions(true)));
        client.getDatabase("images").createCollection("plain");
        client.getDatabase("images").getCollection("plain").insertOne(new Document("_id", 1));
    }

    @AfterAll
    static void stop() {
        client.close();
        emulator.close();
    }

    private static MongoSource source() {
        return new MongoSource(new SourceSpec(emulator.connectionString(), null, null));
    }

    @Test
    void aCollectionWithoutPostImagesIsRefusedEvenWhenAnotherOneHasThem() {
        assertThatThrownBy(() -> source().check(List.of(new TableMapping("images", "plain", "plain")), true))
            .isInstanceOf(SourceException.class).hasMessageContaining("images.plain");
    }

    @Test
    void aCollectionThatKeepsPostImagesPasses() {
        assertThatCode(() -> source().check(List.of(new TableMapping("images", "kept", "kept")), true))
            .doesNotThrowAnyException();
    }
}
