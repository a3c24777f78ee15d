package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.mongodb.client.MongoCollection;

import dev.ferry.common.MixedWorkload;
import dev.ferry.testkit.clickhouse.ClickHouseExtension;
import dev.ferry.testkit.clickhouse.ClickHouseServer;

/**
 * A password given in a request, for a ClickHouse user that has one: the pipe replicates with it, and neither the
 * catalog's files, nor the API's answers, nor the history hold it.
 */
@ExtendWith(ClickHouseExtension.class)
class SecretsAtRestIT extends WithController {

    @Test
    void aPasswordGivenInARequestIsUsedButNotStoredInPlainTextNorAnswered(ClickHouseServer clickHouse)
        throws Exception {
        String db = "secrets_" + UUID.randomUUID().toString().substring(0, 8);
        String user = "writer_" + db;
        String password = "pw-" + UUID.randomUUID();
        clickHouse.putUser(user, password, false);
        MongoCollection<Document> orders = mongo.getDatabase(db).getCollection("orders");
        MixedWorkload.insertInitial(orders, 200);

        RestApi.Reply created = api.post("/v1/pipes", """
            {"name": "%s", "source": {"mongodb": {"uri": "%s"}},
             "destination": {"clickhouse": {"url": "%s", "database": "%s",
                                            "credentials": {"username": "%s", "password": "%s"}}},
             "tableMappings": [{"sourceDatabaseName": "%s", "sourceCollection": "orders"}],
             "settings": {"syncIntervalSeconds": 1}}
            """.formatted(db, emulator.connectionString(), clickHouse.url(), db, user, password, db));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        String id = created.body().get("id").asText();
        Pipes.awaitState(api, id, "Running");
        Pipes.awaitEqual(clickHouse, db, "orders", orders);

        assertThat(catalogFiles()).doesNotContain(password).contains(db);
        assertThat(api.get("/v1/pipes/" + id).body().toString()).doesNotContain(password);
        assertThat(api.get("/v1/pipes/" + id + "/history").body().toString()).doesNotContain(password);
        api.delete("/v1/pipes/" + id);
    }

    /** Every file of the catalog (H2's), as bytes read as text. */
    private static String catalogFiles() throws Exception {
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(dataDirectory)) {
            for (Path file : files.filter(path -> path.getFileName().toString().startsWith("catalog")).toList()) {
                text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }
}
