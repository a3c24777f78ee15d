package dev.ferry.controller.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.controller.pipe.ChangeRefusedException;
import dev.ferry.controller.pipe.ConflictException;
import dev.ferry.controller.pipe.LifecycleState;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.UserAction;
import dev.ferry.controller.pipe.PipeNotFoundException;
import dev.ferry.controller.pipe.PipeSettings;
import dev.ferry.controller.testing.ControllerLogic;

/**
 * An accepted action is recorded as the spec's next generation and answered with the state it leads into; every
 * read after it shows that state too, never the state before.
 */
class PipeServiceTest {

    private static final String SETTINGS = "{\"syncIntervalSeconds\": 1}";

    @TempDir
    Path directory;
    private ControllerLogic logic;

    @BeforeEach
    void start() {
        logic = new ControllerLogic(directory);
    }

    @AfterEach
    void stop() {
        logic.close();
    }

    /** The answer to the action and a read right after it, both in {@code expected}, one generation on. */
    private void assertLeadsInto(Pipe before, Pipe answer, LifecycleState expected) {
        Pipe read = logic.service.get(before.id());
        assertThat(answer.state()).as("the answer").isEqualTo(expected);
        assertThat(read.state()).as("a read right after").isEqualTo(expected);
        assertThat(answer.spec().generation()).isEqualTo(before.spec().generation() + 1);
        assertThat(logic.service.history(before.id())).last().satisfies(transition ->
            assertThat(transition.to()).isEqualTo(expected));
    }

    @Test
    void aPauseLeadsIntoPausing() {
        Pipe running = logic.running("shop", SETTINGS);
        assertLeadsInto(running, logic.service.act(running.id(), UserAction.PAUSE), LifecycleState.PAUSING);
    }

    @Test
    void aResumeLeadsIntoRunning() {
        Pipe running = logic.running("shop", SETTINGS);
        logic.service.act(running.id(), UserAction.PAUSE);
        Pipe paused = logic.stepUntil(running.id(), "Paused", 4);

        assertLeadsInto(paused, logic.service.act(paused.id(), UserAction.RESUME), LifecycleState.RUNNING);
    }

    @Test
    void aResyncLeadsIntoSnapshotAlsoFromFailed() {
        Pipe running = logic.running("shop", SETTINGS);
        logic.flink.lastJob().state = JobStatus.FAILED;
        Pipe failed = logic.step(running.id());
        assertThat(failed.state()).isEqualTo(LifecycleState.FAILED);

        assertLeadsInto(failed, logic.service.act(failed.id(), UserAction.RESYNC), LifecycleState.SNAPSHOT);
    }

    @Test
    void aChangeOfTablesLeadsIntoModifying() {
        Pipe running = logic.running("shop", SETTINGS);
        Pipe answer = logic.service.modifyTables(running.id(), logic.body("""
            {"addTableMappings": [{"sourceDatabaseName": "shop", "sourceCollection": "customers"}]}"""));

        assertLeadsInto(running, answer, LifecycleState.MODIFYING);
    }

    @Test
    void aTableResyncLeadsIntoModifying() {
        Pipe running = logic.running("shop", SETTINGS);
        assertLeadsInto(running, logic.service.resyncTable(running.id(), "orders"), LifecycleState.MODIFYING);
    }

    @Test
    void newSettingsTheJobReadsLeadIntoModifying() {
        Pipe running = logic.running("shop", SETTINGS);
        Pipe answer = logic.service.updateSettings(running.id(), PipeSettings.parse(logic.body(
            "{\"pullBatchSize\": 500}")));

        assertLeadsInto(running, answer, LifecycleState.MODIFYING);
    }

    @Test
    void anActionTheStateDoesNotAllowChangesNothing() {
        Pipe running = logic.running("shop", SETTINGS);

        assertThatThrownBy(() -> logic.service.act(running.id(), UserAction.RESUME)).isInstanceOf(ConflictException.class);

        assertThat(logic.service.get(running.id()).spec()).isEqualTo(running.spec());
    }

    @Test
    void aSecondChangeWhileTheFirstIsAppliedIsRefusedWithWhatToWaitFor() {
        Pipe running = logic.running("shop", SETTINGS);
        logic.service.resyncTable(running.id(), "orders");

        assertThatThrownBy(() -> logic.service.resyncTable(running.id(), "orders"))
            .isInstanceOf(ConflictException.class).hasMessageContaining("--state Running");
    }

    @Test
    void fixedSettingsCannotChange() {
        Pipe running = logic.running("shop", SETTINGS);

        assertThatThrownBy(() -> logic.service.updateSettings(running.id(), PipeSettings.parse(logic.body(
            "{\"replicationMode\": \"snapshot\"}")))).isInstanceOf(ChangeRefusedException.class)
            .hasMessageContaining("fixed");
    }

    @Test
    void aTableThePipeDoesNotHaveIsNotFound() {
        Pipe running = logic.running("shop", SETTINGS);

        assertThatThrownBy(() -> logic.service.resyncTable(running.id(), "nope"))
            .isInstanceOf(PipeNotFoundException.class).hasMessageContaining("no table 'nope'");
    }
}
