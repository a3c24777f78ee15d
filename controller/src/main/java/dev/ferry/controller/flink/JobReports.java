package dev.ferry.controller.flink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobAccumulatorsHeaders;
import org.apache.flink.runtime.rest.messages.JobAccumulatorsInfo;
import org.apache.flink.runtime.rest.messages.JobAccumulatorsMessageParameters;
import org.apache.flink.runtime.rest.messages.JobExceptionsHeaders;
import org.apache.flink.runtime.rest.messages.JobExceptionsInfoWithHistory;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatisticsHeaders;
import org.apache.flink.runtime.rest.messages.job.JobDetailsHeaders;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo;
import org.apache.flink.runtime.rest.messages.job.JobExceptionsMessageParameters;

import dev.ferry.common.JobGraphNames;
import dev.ferry.common.PipeFailure;

/**
 * What the cluster reports of a job, read the way ferry's job is made to be read ({@link JobGraphNames} is the
 * contract between them): its state and vertices, its newest failure (a {@link PipeFailure} the job threw, or the
 * deepest cause of another), its newest completed checkpoint, and its counters.
 */
final class JobReports {

    private static final int CAUSE_LENGTH = 240;

    private final FlinkRest rest;

    JobReports(FlinkRest rest) {
        this.rest = rest;
    }

    /** The job as the cluster reports it, or empty when the cluster does not know it. */
    Optional<FlinkJob> job(String jobId) {
        JobID id = JobID.fromHexString(jobId);
        JobDetailsInfo details;
        try {
            details = rest.call(JobDetailsHeaders.getInstance(), job(new JobMessageParameters(), id),
                EmptyRequestBody.getInstance(), "reading job " + jobId);
        } catch (FlinkException e) {
            if (e.problem() == FlinkException.Problem.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        List<FlinkJob.Vertex> vertices = new ArrayList<>();
        for (JobDetailsInfo.JobVertexDetailsInfo vertex : details.getJobVertexInfos()) {
            vertices.add(new FlinkJob.Vertex(vertex.getJobVertexID().toHexString(), vertex.getName(),
                vertex.getExecutionState(), vertex.getJobVertexMetrics().getRecordsWritten()));
        }
        return Optional.of(new FlinkJob(jobId, details.getJobStatus(), details.getStartTime(), vertices,
            health(id)));
    }

    /**
     * The job's newest failure and newest completed checkpoint. A job that is still initializing has no answer
     * for them yet: its health is then unknown rather than an error.
     */
    private FlinkJob.Health health(JobID id) {
        try {
            return healthOrFail(id);
        } catch (FlinkException e) {
            if (e.problem() == FlinkException.Problem.UNAVAILABLE || e.problem() == FlinkException.Problem.NOT_FOUND) {
                return FlinkJob.Health.UNKNOWN;
            }
            throw e;
        }
    }

    private FlinkJob.Health healthOrFail(JobID id) {
        long lastFailure = 0;
        String rootCause = null;
        PipeFailure pipeFailure = null;
        JobExceptionsInfoWithHistory exceptions = rest.call(JobExceptionsHeaders.getInstance(),
            job(new JobExceptionsMessageParameters(), id), EmptyRequestBody.getInstance(),
            "reading the failures of job " + id);
        for (JobExceptionsInfoWithHistory.RootExceptionInfo entry : exceptions.getExceptionHistory().getEntries()) {
            if (entry.getTimestamp() > lastFailure) {
                lastFailure = entry.getTimestamp();
                // a pipe failure says itself what happened and what to do
                rootCause = PipeFailure.detailIn(entry.getStacktrace())
                    .orElse(Causes.deepest(entry.getStacktrace(), entry.getExceptionName(), CAUSE_LENGTH));
                pipeFailure = PipeFailure.in(entry.getStacktrace()).orElse(null);
            }
        }
        CheckpointingStatistics checkpoints = rest.call(CheckpointingStatisticsHeaders.getInstance(),
            job(new JobMessageParameters(), id), EmptyRequestBody.getInstance(), "reading the checkpoints of job "
                + id);
        CheckpointStatistics.CompletedCheckpointStatistics completed = checkpoints.getLatestCheckpoints()
            .getCompletedCheckpointStatistics();
        return new FlinkJob.Health(lastFailure, rootCause, pipeFailure,
            completed == null ? 0 : completed.getLatestAckTimestamp(), completed == null ? null
                : completed.getExternalPath());
    }

    /** The job's counters (its accumulators, by name). */
    JobCounters counters(String jobId) {
        JobAccumulatorsInfo accumulators = rest.call(JobAccumulatorsHeaders.getInstance(),
            job(new JobAccumulatorsMessageParameters(), JobID.fromHexString(jobId)), EmptyRequestBody.getInstance(),
            "reading the counters of job " + jobId);
        Map<String, String> counters = new HashMap<>();
        for (JobAccumulatorsInfo.UserTaskAccumulator accumulator : accumulators.getUserAccumulators()) {
            counters.put(accumulator.getName(), accumulator.getValue());
        }
        return new JobCounters(counters);
    }

    /** The parameters of a request about job {@code id}. */
    static <P extends JobMessageParameters> P job(P parameters, JobID id) {
        parameters.jobPathParameter.resolve(id);
        return parameters;
    }
}
