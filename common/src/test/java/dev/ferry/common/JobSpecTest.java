package dev.ferry.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.common.sql.SyncLogTable;

/** The job's spec survives its JSON form, and a password given as a reference is never written down. */
class JobSpecTest {

    private static JobSpec spec(Secret mongoPassword, Secret clickHousePassword) {
        return new JobSpec("id-1", "shop", new JobSpec.Source("mongodb://h:1/?replicaSet=rs0", "secondary", "reader",
            mongoPassword), new JobSpec.Destination("http://ch:8123", "dest", "writer", clickHousePassword, false,
                true),
            List.of(new JobSpec.Table("shop", "orders", "orders"), new JobSpec.Table("shop", "items", "items", 41, 3,
                "_resync", false).withExclusions(List.of("payment.card", "notes"), true).withLoadId(1_700_000_000_123L)),
            JobSpec.Mode.CDC, 500, 2, new JobSpec.Snapshot(2, 3, 5_000), 77L << 32, "", "file:///state/checkpoints",
            new SyncLogTable("ops", "ferry_syncs"));
    }

    @Test
    void everyFieldSurvivesItsJsonForm() {
        JobSpec spec = spec(Secret.of("m-secret"), Secret.fromEnv("CH_PASSWORD"));

        assertThat(JobSpec.fromJson(spec.toJson())).isEqualTo(spec);
    }

    @Test
    void aSpecWrittenBeforeTheSyncLogLogsWhereTheControllerPutsItByDefault() {
        String json = spec(Secret.NONE, Secret.NONE).toJson().replaceAll(",\\s*\"syncLog\":\\s*\\{[^}]*}", "");

        assertThat(json).doesNotContain("syncLog");
        assertThat(JobSpec.fromJson(json).syncLog()).isEqualTo(SyncLogTable.DEFAULT);
    }

    @Test
    void aPasswordGivenAsAReferenceIsNotInTheJson() {
        String json = spec(Secret.fromFile("/run/secrets/mongo"), Secret.fromEnv("CH_PASSWORD")).toJson();

        assertThat(json).contains("/run/secrets/mongo").contains("CH_PASSWORD");
    }

    @Test
    void theConnectionStringCarriesTheCredentialsResolvedWhereTheJobRuns(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("mongo-password");
        Files.writeString(file, "p@ss\n");

        String uri = spec(Secret.fromFile(file.toString()), Secret.NONE).source().connectionString();

        assertThat(uri).isEqualTo("mongodb://reader:p%40ss@h:1/?replicaSet=rs0&readPreference=secondary");
    }

    @Test
    void aReferenceThatCannotBeResolvedSaysWhere() {
        assertThatThrownBy(() -> Secret.fromEnv("FERRY_NO_SUCH_VARIABLE").resolve())
            .hasMessageContaining("FERRY_NO_SUCH_VARIABLE").hasMessageContaining("not set");
        assertThat(Secret.of("x").toString()).doesNotContain("x");
    }
}
