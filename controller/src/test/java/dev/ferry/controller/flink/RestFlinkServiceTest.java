package dev.ferry.controller.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.checkpoint.CheckpointFailureReason;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.instance.SlotSharingGroupId;
import org.apache.flink.runtime.jobgraph.JobType;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.rest.handler.async.AsynchronousOperationResult;
import org.apache.flink.runtime.rest.handler.async.TriggerResponse;
import org.apache.flink.runtime.rest.messages.JobExceptionsInfoWithHistory;
import org.apache.flink.runtime.rest.messages.JobPlanInfo;
import org.apache.flink.runtime.rest.messages.TriggerId;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.StatsSummaryDto;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo;
import org.apache.flink.runtime.rest.messages.job.metrics.IOMetricsInfo;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointInfo;
import org.apache.flink.runtime.rest.util.RestMapperUtils;
import org.apache.flink.runtime.webmonitor.handlers.JarListInfo;
import org.apache.flink.runtime.webmonitor.handlers.JarRunResponseBody;
import org.apache.flink.runtime.webmonitor.handlers.JarUploadResponseBody;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.util.SerializedThrowable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.common.JobSpec;
import dev.ferry.common.PipeFailure;
import dev.ferry.common.Secret;
import dev.ferry.controller.flink.FlinkStub.Answer;

/**
 * {@link RestFlinkService} against a stand-in of Flink's REST endpoint: what it reads of a job, how it gets its
 * jar onto the cluster, how it reads a savepoint, and how it names what goes wrong.
 */
class RestFlinkServiceTest {

    private static final String JOB = new JobID().toHexString();
    private static final String JAR_PATHS = "/jars(/.*)?";

    @TempDir
    Path directory;
    private FlinkStub flink;
    private RestFlinkService service;
    private JobJar jar;

    @BeforeEach
    void start() throws Exception {
        flink = new FlinkStub();
        Path jarFile = Files.writeString(directory.resolve("job.jar"), "not really a jar");
        jar = new JobJar(jarFile);
        service = new RestFlinkService(FlinkCluster.remote(flink.url()), jar,
            new StateDirectory(directory.resolve("state").toUri()));
    }

    @AfterEach
    void stop() {
        service.close();
        flink.close();
    }

    private static JobDetailsInfo details(JobStatus state, ExecutionState snapshot) {
        IOMetricsInfo metrics = new IOMetricsInfo(0, true, 0, true, 0, true, 42, true, 0, 0, 0.0);
        JobDetailsInfo.JobVertexDetailsInfo vertex = new JobDetailsInfo.JobVertexDetailsInfo(new JobVertexID(),
            new SlotSharingGroupId(), "Source: Snapshot -> ClickHouse snapshot: Writer", 128, 2, snapshot, 1_000,
            -1, 5_000, Map.of(snapshot, 2), metrics);
        return new JobDetailsInfo(JobID.fromHexString(JOB), "ferry shop", false, state, JobType.STREAMING, 1_000, -1,
            5_000, 128, 6_000, Map.of(state, 1_000L), List.of(vertex), Map.of(snapshot, 1),
            new JobPlanInfo.RawJson("{}"));
    }

    private static JobExceptionsInfoWithHistory failures(JobExceptionsInfoWithHistory.RootExceptionInfo... entries) {
        return new JobExceptionsInfoWithHistory(new JobExceptionsInfoWithHistory.JobExceptionHistory(
            List.of(entries), false));
    }

    private static JobExceptionsInfoWithHistory.RootExceptionInfo failure(long at, String trace) {
        return new JobExceptionsInfoWithHistory.RootExceptionInfo("java.lang.RuntimeException", trace, at, Map.of(),
            List.of());
    }

    /**
     * The job's checkpoint statistics with its newest completed checkpoint (none when {@code newest} is null),
     * written as Flink writes them: the completed checkpoint in JSON, since its type is not public.
     */
    private static String checkpoints(String newest, long at) throws Exception {
        StatsSummaryDto none = new StatsSummaryDto(0, 0, 0, 0, 0, 0, 0, 0);
        String json = FlinkStub.json(new CheckpointingStatistics(new CheckpointingStatistics.Counts(0, 7, 0, 7, 0),
            new CheckpointingStatistics.Summary(none, none, none, none, none, none),
            new CheckpointingStatistics.LatestCheckpoints(null, null, null, null), List.of()));
        if (newest == null) {
            return json;
        }
        ObjectMapper mapper = RestMapperUtils.getStrictObjectMapper();
        ObjectNode statistics = (ObjectNode) mapper.readTree(json);
        ((ObjectNode) statistics.get("latest")).set("completed", mapper.readTree("""
            {"className": "completed", "id": 7, "status": "COMPLETED", "is_savepoint": false,
             "savepointFormat": null, "trigger_timestamp": %d, "latest_ack_timestamp": %d, "checkpointed_size": 10,
             "state_size": 10, "end_to_end_duration": 100, "alignment_buffered": 0, "processed_data": 0,
             "persisted_data": 0, "num_subtasks": 2, "num_acknowledged_subtasks": 2, "checkpoint_type": "CHECKPOINT",
             "tasks": {}, "external_path": "%s", "discarded": false}""".formatted(at - 100, at, newest)));
        return mapper.writeValueAsString(statistics);
    }

    private static JobSpec spec() {
        return new JobSpec("pipe-1", "shop", new JobSpec.Source("mongodb://h/?replicaSet=rs0", null, null,
            Secret.NONE), new JobSpec.Destination("http://ch:8123", "d", "", Secret.NONE, false, false), List.of(),
            JobSpec.Mode.CDC, 100, 1, new JobSpec.Snapshot(1, 1, 1_000), 1L, "", null, null);
    }

    @Test
    void aJobTheClusterDoesNotKnowIsNoJob() {
        flink.on("GET", "/jobs/" + JOB, Answer.error(404, "Job " + JOB + " not found"));

        assertThat(service.job(JOB)).isEmpty();
    }

    @Test
    void aJobIsReadWithItsVerticesItsNewestFailureAndItsNewestCheckpoint() throws Exception {
        flink.on("GET", "/jobs/" + JOB, Answer.ok(details(JobStatus.RUNNING, ExecutionState.FINISHED)))
            .on("GET", "/jobs/" + JOB + "/exceptions", Answer.ok(failures(
                failure(2_000, "java.lang.RuntimeException: old\nCaused by: java.io.IOException: an older one"),
                failure(3_000, "java.lang.RuntimeException: wrapped\n\tat x.y(Z.java:1)\nCaused by: "
                    + "java.lang.IllegalStateException: middle\nCaused by: java.net.ConnectException: refused\n"))))
            .on("GET", "/jobs/" + JOB + "/checkpoints", Answer.ok(checkpoints("file:/state/chk-7", 4_000)));

        FlinkJob job = service.job(JOB).orElseThrow();

        assertThat(job.state()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.vertices()).singleElement().satisfies(vertex -> {
            assertThat(vertex.state()).isEqualTo(ExecutionState.FINISHED);
            assertThat(vertex.name()).startsWith("Source: Snapshot");
        });
        assertThat(job.health().rootCause()).isEqualTo("java.net.ConnectException: refused");
        assertThat(job.health().lastCheckpointPath()).isEqualTo("file:/state/chk-7");
        assertThat(job.health().lastCheckpointMillis()).isEqualTo(4_000);
    }

    @Test
    void aPipeFailureTheJobThrewIsRecognisedInItsFailureWithItsOwnWords() throws Exception {
        flink.on("GET", "/jobs/" + JOB, Answer.ok(details(JobStatus.FAILED, ExecutionState.FINISHED)))
            .on("GET", "/jobs/" + JOB + "/exceptions", Answer.ok(failures(failure(3_000,
                "org.apache.flink.runtime.execution.SuppressRestartsException: Unrecoverable failure.\nCaused by: "
                    + "dev.ferry.common.PipeFailureException: POST_IMAGE_MISSING: the update of 7 in shop.orders "
                    + "came without its post-image\n"))))
            .on("GET", "/jobs/" + JOB + "/checkpoints", Answer.ok(checkpoints(null, 0)));

        FlinkJob.Health health = service.job(JOB).orElseThrow().health();

        assertThat(health.currentPipeFailure()).contains(PipeFailure.POST_IMAGE_MISSING);
        assertThat(health.rootCause()).isEqualTo("the update of 7 in shop.orders came without its post-image");
    }

    @Test
    void aJobStillInitializingHasAnUnknownHealthRatherThanAnError() {
        flink.on("GET", "/jobs/" + JOB, Answer.ok(details(JobStatus.INITIALIZING, ExecutionState.CREATED)))
            .on("GET", "/jobs/" + JOB + "/exceptions", Answer.error(503, "the job is initializing"));

        assertThat(service.job(JOB).orElseThrow().health()).isEqualTo(FlinkJob.Health.UNKNOWN);
    }

    @Test
    void theJarIsUploadedOnceWhenTheClusterDoesNotHaveItThenRunByItsId() {
        flink.on("GET", "/jars", Answer.ok(new JarListInfo("http://flink", List.of())))
            .on("POST", "/jars/upload", Answer.ok(new JarUploadResponseBody("/tmp/flink-web/jars/abc_"
                + jar.name())))
            .on("POST", "/jars/[^/]+/run", Answer.ok(new JarRunResponseBody(JobID.fromHexString(JOB))));

        service.submit(JOB, spec(), Optional.empty());
        service.submit(new JobID().toHexString(), spec(), Optional.empty());

        assertThat(flink.requests()).filteredOn(request -> request.matches("\\w+ " + JAR_PATHS)).containsExactly(
            "GET /jars", "POST /jars/upload", "POST /jars/abc_" + jar.name() + "/run",
            "POST /jars/abc_" + jar.name() + "/run");
    }

    @Test
    void aJarTheClusterLostIsUploadedAgainAndTheJobRunFromIt() {
        JarListInfo.JarFileInfo listed = new JarListInfo.JarFileInfo("old_" + jar.name(), jar.name(), 1, List.of());
        flink.on("GET", "/jars", Answer.ok(new JarListInfo("http://flink", List.of(listed))),
                Answer.ok(new JarListInfo("http://flink", List.of())))
            .on("POST", "/jars/old_[^/]+/run", Answer.error(400, "Jar file /tmp/old_" + jar.name()
                + " does not exist"))
            .on("POST", "/jars/upload", Answer.ok(new JarUploadResponseBody("/tmp/flink-web/jars/new_"
                + jar.name())))
            .on("POST", "/jars/new_[^/]+/run", Answer.ok(new JarRunResponseBody(JobID.fromHexString(JOB))));

        service.submit(JOB, spec(), Optional.of("file:/state/savepoint-1"));

        assertThat(flink.requests()).last().isEqualTo("POST /jars/new_" + jar.name() + "/run");
    }

    @Test
    void aSavepointIsPendingThenCompletedAtItsLocation() {
        String trigger = new TriggerId().toHexString();
        flink.on("GET", "/jobs/" + JOB + "/savepoints/" + trigger, Answer.ok(AsynchronousOperationResult.inProgress()),
            Answer.ok(AsynchronousOperationResult.completed(new SavepointInfo("file:/state/savepoint-9", null))));

        assertThat(service.savepoint(JOB, trigger)).isInstanceOf(SavepointProgress.Pending.class);
        assertThat(service.savepoint(JOB, trigger)).isEqualTo(new SavepointProgress.Completed(
            "file:/state/savepoint-9"));
    }

    @Test
    void aSavepointThatCannotBeWrittenIsNotTriedAgainAndOneThatMayPassIs() {
        String cannot = new TriggerId().toHexString();
        String may = new TriggerId().toHexString();
        flink.on("GET", "/jobs/" + JOB + "/savepoints/" + cannot, Answer.ok(AsynchronousOperationResult.completed(
                new SavepointInfo(null, new SerializedThrowable(new CheckpointException(
                    CheckpointFailureReason.IO_EXCEPTION))))))
            .on("GET", "/jobs/" + JOB + "/savepoints/" + may, Answer.ok(AsynchronousOperationResult.completed(
                new SavepointInfo(null, new SerializedThrowable(new CheckpointException(
                    CheckpointFailureReason.CHECKPOINT_DECLINED_TASK_NOT_READY))))));

        assertThat(service.savepoint(JOB, cannot)).isInstanceOfSatisfying(SavepointProgress.Failed.class,
            failed -> assertThat(failed.canRetry()).isFalse());
        assertThat(service.savepoint(JOB, may)).isInstanceOfSatisfying(SavepointProgress.Failed.class,
            failed -> assertThat(failed.canRetry()).isTrue());
    }

    @Test
    void aSavepointTriggerTheClusterDoesNotKnowIsNotFound() {
        String trigger = new TriggerId().toHexString();
        flink.on("GET", "/jobs/" + JOB + "/savepoints/" + trigger, Answer.error(404, "There is no savepoint "
            + "operation with triggerId=" + trigger));

        assertThatThrownBy(() -> service.savepoint(JOB, trigger)).isInstanceOfSatisfying(FlinkException.class,
            e -> assertThat(e.problem()).isEqualTo(FlinkException.Problem.NOT_FOUND));
    }

    @Test
    void stoppingWithASavepointSendsTheTriggerChosenBeforehand() {
        String trigger = new TriggerId().toHexString();
        flink.on("POST", "/jobs/" + JOB + "/stop", Answer.ok(new TriggerResponse(TriggerId.fromHexString(trigger))));

        service.stopWithSavepoint(JOB, trigger);

        assertThat(flink.requests()).containsExactly("POST /jobs/" + JOB + "/stop");
    }

    @Test
    void cancellingAJobThatEndedOrThatTheClusterDoesNotKnowIsNoErrorButAFailingClusterIs() {
        flink.on("PATCH", "/jobs/" + JOB, Answer.error(409, "the job has ended"), Answer.error(404, "not found"),
            Answer.error(500, "the JobManager is busy"));

        service.cancel(JOB);
        service.cancel(JOB);
        assertThatThrownBy(() -> service.cancel(JOB)).isInstanceOfSatisfying(FlinkException.class, e -> {
            assertThat(e.problem()).isEqualTo(FlinkException.Problem.UNAVAILABLE);
            assertThat(e.canHeal()).isTrue();
        });
        assertThat(flink.requests()).hasSize(3);
    }

    @Test
    void aClusterThatDoesNotAnswerIsUnreachableAndNotReady() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (RestFlinkService nowhere = new RestFlinkService(FlinkCluster.remote(new URL("http://127.0.0.1:"
            + closed)), jar, new StateDirectory(directory.resolve("state").toUri()))) {

            assertThat(nowhere.reachable()).isFalse();
            assertThatThrownBy(() -> nowhere.job(JOB)).isInstanceOfSatisfying(FlinkException.class,
                e -> assertThat(e.problem()).isEqualTo(FlinkException.Problem.UNREACHABLE));
        }
    }

    @Test
    void theDashboardLinkOfAJobIsKnownOnceTheClusterWasReached() {
        flink.on("GET", "/jobs/" + JOB, Answer.error(404, "not found"));
        assertThat(service.dashboardUrl(JOB)).isEmpty();

        service.job(JOB);

        assertThat(service.dashboardUrl(JOB)).contains(flink.url() + "/#/job/running/" + JOB + "/overview");
    }
}
