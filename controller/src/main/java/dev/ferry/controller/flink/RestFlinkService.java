package dev.ferry.controller.flink;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.RestoreMode;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.checkpoint.CheckpointFailureReason;
import org.apache.flink.runtime.rest.handler.async.AsynchronousOperationResult;
import org.apache.flink.runtime.rest.messages.DashboardConfigurationHeaders;
import org.apache.flink.runtime.rest.messages.EmptyMessageParameters;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobCancellationHeaders;
import org.apache.flink.runtime.rest.messages.JobCancellationMessageParameters;
import org.apache.flink.runtime.rest.messages.TerminationModeQueryParameter;
import org.apache.flink.runtime.rest.messages.TriggerId;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointInfo;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointStatusHeaders;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointStatusMessageParameters;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointTriggerMessageParameters;
import org.apache.flink.runtime.rest.messages.job.savepoints.stop.StopWithSavepointRequestBody;
import org.apache.flink.runtime.rest.messages.job.savepoints.stop.StopWithSavepointTriggerHeaders;
import org.apache.flink.runtime.rest.messages.queue.QueueStatus;
import org.apache.flink.runtime.webmonitor.handlers.JarRunHeaders;
import org.apache.flink.runtime.webmonitor.handlers.JarRunMessageParameters;
import org.apache.flink.runtime.webmonitor.handlers.JarRunRequestBody;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.SerializedThrowable;

import dev.ferry.common.JobSpec;

/**
 * {@link FlinkService} over Flink's REST API: the same calls for the embedded cluster and any other. The calls and
 * their errors are {@link FlinkRest}'s, the job jar {@link JobJars}', what a job reports {@link JobReports}'; this
 * class submits, stops and cancels jobs.
 */
public final class RestFlinkService implements FlinkService {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    /** Savepoint failures that no retry mends: the savepoint cannot be written at all. */
    private static final List<CheckpointFailureReason> NEVER_HEAL = List.of(CheckpointFailureReason.IO_EXCEPTION,
        CheckpointFailureReason.FINALIZE_CHECKPOINT_FAILURE, CheckpointFailureReason.BLOCKING_OUTPUT_EXIST,
        CheckpointFailureReason.CHANNEL_STATE_SHARED_STREAM_EXCEPTION);

    private final FlinkCluster cluster;
    private final StateDirectory state;
    private final FlinkRest rest;
    private final JobJars jars;
    private final JobReports reports;

    public RestFlinkService(FlinkCluster cluster, JobJar jobJar, StateDirectory state) {
        this.cluster = cluster;
        this.state = state;
        this.rest = new FlinkRest(cluster);
        this.jars = new JobJars(rest, jobJar);
        this.reports = new JobReports(rest);
    }

    @Override
    public void prepare() {
        jars.id();
    }

    @Override
    public boolean isUp() {
        return rest.isConnected();
    }

    @Override
    public boolean reachable() {
        if (!isUp() && cluster.startsOnDemand()) {
            return true;
        }
        try {
            rest.call(DashboardConfigurationHeaders.getInstance(), EmptyMessageParameters.getInstance(),
                EmptyRequestBody.getInstance(), List.of(), PROBE_TIMEOUT, "reading its configuration");
            return true;
        } catch (FlinkException e) {
            return false;
        }
    }

    @Override
    public void submit(String jobId, JobSpec spec, Optional<String> restoreFrom) {
        // the job is given the spec's location only: what the spec holds never travels in Flink's job arguments
        String specLocation = state.writeSpec(spec.withCheckpointDirectory(state.checkpoints()));
        // the state of tables removed from the pipe has no operator left to take it: allowNonRestoredState
        JarRunRequestBody request = new JarRunRequestBody(JobSpec.ENTRY_CLASS, null, List.of("--spec", specLocation),
            null, JobID.fromHexString(jobId), restoreFrom.isPresent(), restoreFrom.orElse(null),
            RestoreMode.NO_CLAIM, null);
        String jar = jars.id();
        try {
            run(jar, request, jobId);
        } catch (FlinkException e) {
            if (e.problem() == FlinkException.Problem.UNREACHABLE || e.problem() == FlinkException.Problem.TIMEOUT) {
                throw e;
            }
            // a JobManager that restarted has lost the jars uploaded to it
            String again = jars.idAfterRefusal(jar);
            if (again.equals(jar)) {
                throw e;
            }
            run(again, request, jobId);
        }
    }

    private void run(String jar, JarRunRequestBody request, String jobId) {
        JarRunMessageParameters parameters = JarRunHeaders.getInstance().getUnresolvedMessageParameters();
        parameters.jarIdPathParameter.resolve(jar);
        rest.call(JarRunHeaders.getInstance(), parameters, request, "submitting job " + jobId);
    }

    @Override
    public Optional<FlinkJob> job(String jobId) {
        return reports.job(jobId);
    }

    @Override
    public JobCounters counters(String jobId) {
        return reports.counters(jobId);
    }

    @Override
    public void stopWithSavepoint(String jobId, String triggerId) {
        SavepointTriggerMessageParameters parameters = StopWithSavepointTriggerHeaders.getInstance()
            .getUnresolvedMessageParameters();
        parameters.jobID.resolve(JobID.fromHexString(jobId));
        rest.call(StopWithSavepointTriggerHeaders.getInstance(), parameters, new StopWithSavepointRequestBody(
            state.savepoints(), false, SavepointFormatType.CANONICAL, TriggerId.fromHexString(triggerId)),
            "stopping job " + jobId + " with a savepoint");
    }

    @Override
    public SavepointProgress savepoint(String jobId, String triggerId) {
        SavepointStatusMessageParameters parameters = SavepointStatusHeaders.getInstance()
            .getUnresolvedMessageParameters();
        parameters.jobIdPathParameter.resolve(JobID.fromHexString(jobId));
        parameters.triggerIdPathParameter.resolve(TriggerId.fromHexString(triggerId));
        AsynchronousOperationResult<SavepointInfo> result = rest.call(SavepointStatusHeaders.getInstance(),
            parameters, EmptyRequestBody.getInstance(), "reading the savepoint of job " + jobId);
        if (result.queueStatus().getId() != QueueStatus.Id.COMPLETED) {
            return new SavepointProgress.Pending();
        }
        SavepointInfo info = result.resource();
        if (info.getLocation() != null) {
            return new SavepointProgress.Completed(info.getLocation());
        }
        return failed(info.getFailureCause());
    }

    /** A savepoint failure, classified by the reason Flink gives for it. */
    private SavepointProgress failed(SerializedThrowable failure) {
        if (failure == null) {
            return new SavepointProgress.Failed("unknown cause", true);
        }
        Throwable cause = failure.deserializeError(getClass().getClassLoader());
        Optional<CheckpointException> checkpoint = ExceptionUtils.findThrowable(cause, CheckpointException.class);
        String reason = checkpoint.map(Throwable::getMessage).orElse(ExceptionUtils.stripExecutionException(cause)
            .getMessage());
        return new SavepointProgress.Failed(reason == null ? failure.getOriginalErrorClassName()
            : Causes.firstLine(reason), checkpoint.map(e -> !NEVER_HEAL.contains(e.getCheckpointFailureReason()))
            .orElse(true));
    }

    @Override
    public void cancel(String jobId) {
        JobCancellationMessageParameters parameters = new JobCancellationMessageParameters()
            .resolveJobId(JobID.fromHexString(jobId))
            .resolveTerminationMode(TerminationModeQueryParameter.TerminationMode.CANCEL);
        try {
            rest.call(JobCancellationHeaders.getInstance(), parameters, EmptyRequestBody.getInstance(),
                "cancelling job " + jobId);
        } catch (FlinkException e) {
            // not found: the cluster no longer knows the job; conflict: it has ended already
            if (e.problem() != FlinkException.Problem.NOT_FOUND && e.problem() != FlinkException.Problem.CONFLICT) {
                throw e;
            }
        }
    }

    @Override
    public Optional<String> dashboardUrl(String jobId) {
        return rest.url().map(value -> {
            String text = value.toString();
            String base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
            return jobId == null ? base + "/" : base + "/#/job/running/" + jobId + "/overview";
        });
    }

    @Override
    public void forget(String pipeId) {
        state.deleteSpec(pipeId);
    }

    @Override
    public void close() {
        rest.close();
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("the Flink cluster did not stop: " + e.getMessage(), e);
        }
    }
}
