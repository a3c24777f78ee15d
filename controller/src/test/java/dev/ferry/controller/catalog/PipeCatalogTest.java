package dev.ferry.controller.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.common.Secret;
import dev.ferry.controller.Controller;
import dev.ferry.controller.pipe.ConflictException;
import dev.ferry.controller.pipe.Credentials;
import dev.ferry.controller.pipe.DestinationSpec;
import dev.ferry.controller.pipe.LifecycleState;
import dev.ferry.controller.pipe.Phase;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeSettings;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.Problem;
import dev.ferry.controller.pipe.SourceGone;
import dev.ferry.controller.pipe.SourceSpec;
import dev.ferry.controller.pipe.TableMapping;
import dev.ferry.controller.testing.PipeFixtures;

/** The catalog keeps pipes, their spec, status and history across reopening, and refuses a second controller. */
class PipeCatalogTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:01:00Z"), ZoneOffset.UTC);

    @TempDir
    Path directory;

    private PipeCatalog open() {
        return PipeCatalog.open(directory, Controller.objectMapper(), CLOCK);
    }

    private static Pipe pipe() {
        return PipeFixtures.pipe(PipeFixtures.spec(), PipeStatus.initial(), LifecycleState.PROVISIONING);
    }

    @Test
    void aSpecAndAStatusWithEveryFactSurviveReopening() {
        PipeStatus status = PipeStatus.initial().toBuilder().phase(Phase.STOPPING).jobId("job")
            .stop(PipeStatus.Stop.first("trigger-1", 5)).resumeFrom("file:///sp").stopNotice("notice")
            .lastCheckpoint(new PipeStatus.Checkpoint("file:///chk-1", 7))
            .setup(new PipeStatus.Setup(42L, "String", "18.16"))
            .tables(Map.of("orders", new PipeStatus.TableState(3, 9, PipeStatus.TableResync.LOADED, 2, 11, true,
                1_700_000_000_000L)))
            .snapshotDone(true).resync(PipeStatus.WholeResync.SWAPPING).resyncNonce(4)
            .sourcesGone(Map.of("orders", SourceGone.DROPPED)).retry(new PipeStatus.Retry("boom", 2, 99, 3))
            .reconciled(PipeFixtures.spec().paused()).build();
        try (PipeCatalog catalog = open()) {
            catalog.insert(pipe());
            catalog.update("id-1", stored -> stored.withSpec(stored.spec().paused()).withStatus(status)
                .withLifecycle(new dev.ferry.controller.pipe.Lifecycle.Derived(LifecycleState.PAUSING, "stopping")));
        }

        try (PipeCatalog reopened = open()) {
            Pipe stored = reopened.find("id-1").orElseThrow();
            assertThat(stored.status()).isEqualTo(status);
            assertThat(stored.spec()).isEqualTo(PipeFixtures.spec().paused());
            assertThat(stored.state()).isEqualTo(LifecycleState.PAUSING);
            assertThat(stored.updatedAt()).isEqualTo(CLOCK.instant());
            assertThat(reopened.history("id-1")).extracting(t -> t.to())
                .containsExactly(LifecycleState.PROVISIONING, LifecycleState.PAUSING);
        }
    }

    @Test
    void aChangeThatThrowsLeavesThePipeAsItWas() {
        try (PipeCatalog catalog = open()) {
            catalog.insert(pipe());

            assertThatThrownBy(() -> catalog.update("id-1", stored -> {
                throw new ConflictException("not now");
            })).isInstanceOf(ConflictException.class);

            assertThat(catalog.find("id-1")).contains(pipe());
        }
    }

    @Test
    void anUpdateOfADeletedPipeIsEmpty() {
        try (PipeCatalog catalog = open()) {
            catalog.insert(pipe());
            catalog.delete("id-1");

            assertThat(catalog.update("id-1", stored -> stored)).isEmpty();
        }
    }

    @Test
    void aSecondControllerOnTheSameDataDirectoryIsRefused() {
        try (PipeCatalog first = open()) {
            assertThatThrownBy(this::open)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is in use by another ferry controller");
        }
    }

    @Test
    void aCatalogOfAnEarlierFormatIsRefusedWithWhatToDo() throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("catalog").toAbsolutePath() + ";FILE_LOCK=FILE";
        try (Connection connection = DriverManager.getConnection(url, "ferry", "");
             Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE pipes (id VARCHAR(64) PRIMARY KEY, request CLOB, status CLOB)");
        }

        assertThatThrownBy(this::open).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("earlier ferry").hasMessageContaining("new --data-dir");
    }

    private static PipeSpec specWithPasswords() {
        return PipeSpec.of("secretive", new SourceSpec("mongodb://reader:uri-pw-123@db1:27017/?replicaSet=rs0", null,
                new Credentials("reader", Secret.of("mongo-pw-456"))),
            new DestinationSpec("http://ch:8123", "dest", new Credentials("writer", Secret.of("ch-pw-789"))),
            List.of(new TableMapping("shop", "orders", "orders")), PipeSettings.DEFAULTS);
    }

    @Test
    void passwordsAreNotStoredInPlainTextButReadBackAsGiven() throws Exception {
        PipeSpec spec = specWithPasswords();
        try (PipeCatalog catalog = open()) {
            catalog.insert(PipeFixtures.pipe(spec, PipeStatus.initial(), LifecycleState.PROVISIONING));
            catalog.update("id-1", stored -> stored.withStatus(stored.status().toBuilder().reconciled(spec).build()));
        }

        StringBuilder files = new StringBuilder();
        try (var paths = Files.walk(directory)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                files.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(files.toString()).contains("secretive")
            .doesNotContain("uri-pw-123").doesNotContain("mongo-pw-456").doesNotContain("ch-pw-789");
        try (PipeCatalog reopened = open()) {
            Pipe stored = reopened.find("id-1").orElseThrow();
            assertThat(stored.spec()).isEqualTo(spec);
            assertThat(stored.status().lastReconciledSpec()).isEqualTo(spec);
        }
    }

    @Test
    void theKeyThatSealsThePasswordsIsReadableByItsOwnerOnly() throws Exception {
        open().close();

        assertThat(Files.getPosixFilePermissions(directory.resolve(SecretSeal.KEY_FILE)))
            .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void passwordReferencesAreStoredAsTheyAre() throws Exception {
        PipeSpec spec = PipeSpec.of("referring", new SourceSpec("mongodb://db1:27017/?replicaSet=rs0", null,
                new Credentials("reader", Secret.fromEnv("MONGO_PASSWORD"))),
            new DestinationSpec("http://ch:8123", "dest", new Credentials("writer", Secret.fromFile("/run/ch"))),
            List.of(new TableMapping("shop", "orders", "orders")), PipeSettings.DEFAULTS);
        try (PipeCatalog catalog = open()) {
            catalog.insert(PipeFixtures.pipe(spec, PipeStatus.initial(), LifecycleState.PROVISIONING));
            assertThat(catalog.find("id-1").orElseThrow().spec()).isEqualTo(spec);
        }
    }

    private static Pipe in(Pipe pipe, LifecycleState state, Problem problem) {
        return pipe.withLifecycle(new dev.ferry.controller.pipe.Lifecycle.Derived(state, state + " because", problem));
    }

    @Test
    void aProblemIsKeptAsAnErrorThatIsResolvedWhenThePipeGetsOverIt() {
        try (PipeCatalog catalog = open()) {
            catalog.insert(pipe());
            catalog.update("id-1", stored -> in(stored, LifecycleState.DEGRADED, Problem.JOB_RESTARTING));
            catalog.update("id-1", stored -> stored.withLifecycle(new dev.ferry.controller.pipe.Lifecycle.Derived(
                LifecycleState.DEGRADED, "still restarting, another cause", Problem.JOB_RESTARTING)));
            assertThat(catalog.errors("id-1", 10)).singleElement().satisfies(error -> {
                assertThat(error.code()).isEqualTo("job_restarting");
                assertThat(error.state()).isEqualTo(LifecycleState.DEGRADED);
                assertThat(error.message()).isEqualTo("Degraded because");
                assertThat(error.resolvedAt()).isNull();
            });

            catalog.update("id-1", stored -> in(stored, LifecycleState.RUNNING, null));
        }

        try (PipeCatalog reopened = open()) {
            assertThat(reopened.errors("id-1", 10)).singleElement()
                .satisfies(error -> assertThat(error.resolvedAt()).isEqualTo(CLOCK.instant()));
        }
    }

    @Test
    void aStepTriedAgainIsOneErrorUntilItGoesThrough() {
        try (PipeCatalog catalog = open()) {
            catalog.insert(pipe());
            PipeStatus waiting = PipeStatus.initial().toBuilder().retry(new PipeStatus.Retry("no answer", 1, 9, 1))
                .build();
            catalog.update("id-1", stored -> stored.withStatus(waiting));
            catalog.update("id-1", stored -> stored.withStatus(waiting.toBuilder()
                .retry(new PipeStatus.Retry("no answer again", 2, 19, 1)).build()));
            catalog.update("id-1", stored -> stored.withStatus(PipeStatus.initial()));

            assertThat(catalog.errors("id-1", 10)).singleElement().satisfies(error -> {
                assertThat(error.code()).isEqualTo("retrying");
                assertThat(error.message()).isEqualTo("no answer");
                assertThat(error.resolvedAt()).isNotNull();
            });
        }
    }

    @Test
    void errorsAreListedNewestFirstAndGoWithTheirPipe() {
        try (PipeCatalog catalog = open()) {
            catalog.insert(pipe());
            catalog.update("id-1", stored -> in(stored, LifecycleState.DEGRADED, Problem.LAGGING));
            catalog.update("id-1", stored -> in(stored, LifecycleState.FAILED, Problem.FAILED));

            assertThat(catalog.errors("id-1", 10)).extracting(dev.ferry.controller.pipe.PipeError::code)
                .containsExactly("failed", "lagging");
            assertThat(catalog.errors("id-1", 10).get(1).resolvedAt()).isNotNull();
            assertThat(catalog.errors("id-1", 10).get(0).resolvedAt()).isNull();

            catalog.delete("id-1");
            assertThat(catalog.errors("id-1", 10)).isEmpty();
        }
    }
}
