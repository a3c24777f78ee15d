package dev.ferry.controller.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.RestoreMode;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.checkpoint.CheckpointFailureReason;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.rest.FileUpload;
import org.apache.flink.runtime.rest.RestClient;
import org.apache.flink.runtime.rest.handler.async.AsynchronousOperationResult;
import org.apache.flink.runtime.rest.messages.DashboardConfigurationHeaders;
import org.apache.flink.runtime.rest.messages.EmptyMessageParameters;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobAccumulatorsHeaders;
import org.apache.flink.runtime.rest.messages.JobAccumulatorsInfo;
import org.apache.flink.runtime.rest.messages.JobAccumulatorsMessageParameters;
import org.apache.flink.runtime.rest.messages.JobCancellationHeaders;
import org.apache.flink.runtime.rest.messages.JobCancellationMessageParameters;
import org.apache.flink.runtime.rest.messages.JobExceptionsHeaders;
import org.apache.flink.runtime.rest.messages.JobExceptionsInfoWithHistory;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.MessageHeaders;
import org.apache.flink.runtime.rest.messages.MessageParameter;
import org.apache.flink.runtime.rest.messages.MessageParameters;
import org.apache.flink.runtime.rest.messages.RequestBody;
import org.apache.flink.runtime.rest.messages.ResponseBody;
import org.apache.flink.runtime.rest.messages.TerminationModeQueryParameter;
import org.apache.flink.runtime.rest.messages.TriggerId;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatisticsHeaders;
import org.apache.flink.runtime.rest.messages.job.JobDetailsHeaders;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo;
import org.apache.flink.runtime.rest.messages.job.JobExceptionsMessageParameters;
import org.apache.flink.runtime.rest.messages.job.metrics.AggregatedMetric;
import org.apache.flink.runtime.rest.messages.job.metrics.AggregatedMetricsResponseBody;
import org.apache.flink.runtime.rest.messages.job.metrics.AggregatedSubtaskMetricsHeaders;
import org.apache.flink.runtime.rest.messages.job.metrics.AggregatedSubtaskMetricsParameters;
import org.apache.flink.runtime.rest.messages.job.metrics.JobManagerOperatorMetricsHeaders;
import org.apache.flink.runtime.rest.messages.job.metrics.JobManagerOperatorMetricsMessageParameters;
import org.apache.flink.runtime.rest.messages.job.metrics.Metric;
import org.apache.flink.runtime.rest.messages.job.metrics.MetricCollectionResponseBody;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointInfo;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointStatusHeaders;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointStatusMessageParameters;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointTriggerMessageParameters;
import org.apache.flink.runtime.rest.messages.job.savepoints.stop.StopWithSavepointRequestBody;
import org.apache.flink.runtime.rest.messages.job.savepoints.stop.StopWithSavepointTriggerHeaders;
import org.apache.flink.runtime.rest.messages.queue.QueueStatus;
import org.apache.flink.runtime.rest.util.RestClientException;
import org.apache.flink.runtime.rest.util.RestConstants;
import org.apache.flink.runtime.webmonitor.handlers.JarListHeaders;
import org.apache.flink.runtime.webmonitor.handlers.JarListInfo;
import org.apache.flink.runtime.webmonitor.handlers.JarRunHeaders;
import org.apache.flink.runtime.webmonitor.handlers.JarRunMessageParameters;
import org.apache.flink.runtime.webmonitor.handlers.JarRunRequestBody;
import org.apache.flink.runtime.webmonitor.handlers.JarUploadHeaders;
import org.apache.flink.runtime.webmonitor.handlers.JarUploadResponseBody;
import org.apache.flink.shaded.netty4.io.netty.handler.codec.http.HttpResponseStatus;
import org.apache.flink.util.ExceptionUtils;
import org.apache.flink.util.SerializedThrowable;

import dev.ferry.common.JobGraphNames;
import dev.ferry.common.JobSpec;
import dev.ferry.common.PipeFailure;

/**
 * {@link FlinkService} over Flink's REST API, with Flink's own REST client and message classes: the same calls
 * for the embedded cluster and any other. Every call has a short timeout, so that a cluster that does not answer
 * costs seconds, never a stuck reconciler.
 */
public final class RestFlinkService implements FlinkService {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(2);
    /** Savepoint failures that no retry mends: the savepoint cannot be written at all. */
    private static final List<CheckpointFailureReason> NEVER_HEAL = List.of(CheckpointFailureReason.IO_EXCEPTION,
        CheckpointFailureReason.FINALIZE_CHECKPOINT_FAILURE, CheckpointFailureReason.BLOCKING_OUTPUT_EXIST,
        CheckpointFailureReason.CHANNEL_STATE_SHARED_STREAM_EXCEPTION);

    private final FlinkCluster cluster;
    private final JobJar jobJar;
    private final StateDirectory state;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "ferry-flink-rest");
        thread.setDaemon(true);
        return thread;
    });
    private final Object jarLock = new Object();
    private RestClient client;
    private URL url;
    private String jarId;

    public RestFlinkService(FlinkCluster cluster, JobJar jobJar, StateDirectory state) {
        this.cluster = cluster;
        this.jobJar = jobJar;
        this.state = state;
    }

    @Override
    public void prepare() {
        jar();
    }

    @Override
    public synchronized boolean isUp() {
        return client != null;
    }

    @Override
    public boolean reachable() {
        if (!isUp() && cluster.startsOnDemand()) {
            return true;
        }
        try {
            call(DashboardConfigurationHeaders.getInstance(), EmptyMessageParameters.getInstance(),
                EmptyRequestBody.getInstance(), List.of(), PROBE_TIMEOUT, "reading its configuration");
            return true;
        } catch (FlinkException e) {
            return false;
        }
    }

    /**
     * The job jar's id on the cluster: found by its name, which carries a checksum of its contents (so that a jar of
     * another ferry version is never taken for it), or uploaded. Found again after the cluster lost it.
     */
    private String jar() {
        synchronized (jarLock) {
            if (jarId == null) {
                jarId = jars().jarFileList.stream().filter(jar -> jar.name.equals(jobJar.name())).map(jar -> jar.id)
                    .findFirst().orElseGet(this::uploadJar);
            }
            return jarId;
        }
    }

    private JarListInfo jars() {
        return call(JarListHeaders.getInstance(), EmptyMessageParameters.getInstance(), EmptyRequestBody.getInstance(),
            List.of(), CALL_TIMEOUT, "listing the cluster's jars");
    }

    /** Forgets the jar's id when the cluster no longer has the jar (a JobManager that restarted lost it). */
    private void forgetJarUnlessListed(String id) {
        synchronized (jarLock) {
            if (jars().jarFileList.stream().noneMatch(jar -> jar.id.equals(id))) {
                jarId = null;
            }
        }
    }

    /** The REST client of the running cluster, starting the embedded cluster when needed. */
    private synchronized RestClient connect() {
        if (client == null) {
            try {
                url = cluster.restUrl();
                Configuration configuration = new Configuration();
                configuration.set(RestOptions.CONNECTION_TIMEOUT, Duration.ofSeconds(5));
                client = new RestClient(configuration, executor);
            } catch (Exception e) {
                throw new FlinkException(FlinkException.Problem.UNREACHABLE, "cannot start the Flink cluster: "
                    + e.getMessage(), e);
            }
        }
        return client;
    }

    private String uploadJar() {
        JarUploadResponseBody uploaded = call(JarUploadHeaders.getInstance(), EmptyMessageParameters.getInstance(),
            EmptyRequestBody.getInstance(), List.of(new FileUpload(jobJar.named(), RestConstants.CONTENT_TYPE_JAR)),
            UPLOAD_TIMEOUT, "uploading the job jar");
        String filename = uploaded.getFilename();
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    @Override
    public void submit(String jobId, JobSpec spec, Optional<String> restoreFrom) {
        // the job is given the spec's location only: what the spec holds never travels in Flink's job arguments
        String specLocation = state.writeSpec(spec.withCheckpointDirectory(state.checkpoints()));
        // the state of tables removed from the pipe has no operator left to take it: allowNonRestoredState
        JarRunRequestBody request = new JarRunRequestBody(JobSpec.ENTRY_CLASS, null, List.of("--spec", specLocation),
            null, JobID.fromHexString(jobId), restoreFrom.isPresent(), restoreFrom.orElse(null),
            RestoreMode.NO_CLAIM, null);
        String jar = jar();
        try {
            run(jar, request, jobId);
        } catch (FlinkException e) {
            if (e.problem() == FlinkException.Problem.UNREACHABLE || e.problem() == FlinkException.Problem.TIMEOUT) {
                throw e;
            }
            // a JobManager that restarted has lost the jars uploaded to it
            forgetJarUnlessListed(jar);
            String again = jar();
            if (again.equals(jar)) {
                throw e;
            }
            run(again, request, jobId);
        }
    }

    private void run(String jar, JarRunRequestBody request, String jobId) {
        JarRunMessageParameters parameters = JarRunHeaders.getInstance().getUnresolvedMessageParameters();
        parameters.jarIdPathParameter.resolve(jar);
        call(JarRunHeaders.getInstance(), parameters, request, List.of(), CALL_TIMEOUT, "submitting job " + jobId);
    }

    @Override
    public Optional<FlinkJob> job(String jobId) {
        JobID id = JobID.fromHexString(jobId);
        JobDetailsInfo details;
        try {
            details = call(JobDetailsHeaders.getInstance(), jobParameters(new JobMessageParameters(), id),
                EmptyRequestBody.getInstance(), List.of(), CALL_TIMEOUT, "reading job " + jobId);
        } catch (FlinkException e) {
            if (isNotFound(e)) {
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
            if (e.problem() == FlinkException.Problem.UNAVAILABLE || isNotFound(e)) {
                return FlinkJob.Health.UNKNOWN;
            }
            throw e;
        }
    }

    private FlinkJob.Health healthOrFail(JobID id) {
        long lastFailure = 0;
        String rootCause = null;
        PipeFailure pipeFailure = null;
        JobExceptionsInfoWithHistory exceptions = call(JobExceptionsHeaders.getInstance(),
            jobParameters(new JobExceptionsMessageParameters(), id), EmptyRequestBody.getInstance(), List.of(),
            CALL_TIMEOUT, "reading the failures of job " + id);
        for (JobExceptionsInfoWithHistory.RootExceptionInfo entry : exceptions.getExceptionHistory().getEntries()) {
            if (entry.getTimestamp() > lastFailure) {
                lastFailure = entry.getTimestamp();
                // a pipe failure says itself what happened and what to do
                rootCause = PipeFailure.detailIn(entry.getStacktrace())
                    .orElse(rootCause(entry.getStacktrace(), entry.getExceptionName()));
                pipeFailure = PipeFailure.in(entry.getStacktrace()).orElse(null);
            }
        }
        CheckpointingStatistics checkpoints = call(CheckpointingStatisticsHeaders.getInstance(),
            jobParameters(new JobMessageParameters(), id), EmptyRequestBody.getInstance(), List.of(), CALL_TIMEOUT,
            "reading the checkpoints of job " + id);
        CheckpointStatistics.CompletedCheckpointStatistics completed = checkpoints.getLatestCheckpoints()
            .getCompletedCheckpointStatistics();
        return new FlinkJob.Health(lastFailure, rootCause, pipeFailure,
            completed == null ? 0 : completed.getLatestAckTimestamp(), completed == null ? null
                : completed.getExternalPath());
    }

    /** The deepest "Caused by" of a stack trace, shortened: what actually went wrong. */
    private static String rootCause(String stackTrace, String fallback) {
        String cause = stackTrace == null ? fallback : stackTrace.lines()
            .filter(line -> line.startsWith("Caused by: "))
            .map(line -> line.substring("Caused by: ".length()))
            .filter(line -> !line.startsWith("[CIRCULAR REFERENCE"))
            .reduce((a, b) -> b).orElse(fallback);
        return cause == null || cause.length() <= 240 ? cause : cause.substring(0, 240) + "...";
    }

    @Override
    public void stopWithSavepoint(String jobId, String triggerId) {
        SavepointTriggerMessageParameters parameters = StopWithSavepointTriggerHeaders.getInstance()
            .getUnresolvedMessageParameters();
        parameters.jobID.resolve(JobID.fromHexString(jobId));
        call(StopWithSavepointTriggerHeaders.getInstance(), parameters, new StopWithSavepointRequestBody(state.savepoints(), false,
            SavepointFormatType.CANONICAL, TriggerId.fromHexString(triggerId)), List.of(), CALL_TIMEOUT,
            "stopping job " + jobId + " with a savepoint");
    }

    @Override
    public SavepointProgress savepoint(String jobId, String triggerId) {
        SavepointStatusMessageParameters parameters = SavepointStatusHeaders.getInstance()
            .getUnresolvedMessageParameters();
        parameters.jobIdPathParameter.resolve(JobID.fromHexString(jobId));
        parameters.triggerIdPathParameter.resolve(TriggerId.fromHexString(triggerId));
        AsynchronousOperationResult<SavepointInfo> result = call(SavepointStatusHeaders.getInstance(), parameters,
            EmptyRequestBody.getInstance(), List.of(), CALL_TIMEOUT, "reading the savepoint of job " + jobId);
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
        return new SavepointProgress.Failed(reason == null ? failure.getOriginalErrorClassName() : firstLine(reason),
            checkpoint.map(e -> !NEVER_HEAL.contains(e.getCheckpointFailureReason())).orElse(true));
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse(text);
    }

    /** What the cluster says went wrong: the deepest cause of its server-side exception, in one line. */
    private static String serverCause(String message) {
        String cause = message.lines().map(String::strip).filter(line -> line.startsWith("Caused by: "))
            .reduce((a, b) -> b).map(line -> line.substring("Caused by: ".length())).orElse(firstLine(message));
        return cause.length() <= 300 ? cause : cause.substring(0, 300) + "...";
    }

    @Override
    public void cancel(String jobId) {
        JobCancellationMessageParameters parameters = new JobCancellationMessageParameters()
            .resolveJobId(JobID.fromHexString(jobId))
            .resolveTerminationMode(TerminationModeQueryParameter.TerminationMode.CANCEL);
        try {
            call(JobCancellationHeaders.getInstance(), parameters, EmptyRequestBody.getInstance(), List.of(),
                CALL_TIMEOUT, "cancelling job " + jobId);
        } catch (FlinkException e) {
            // not found: the cluster no longer knows the job; conflict: it has ended already
            if (!isNotFound(e) && !hasStatus(e, HttpResponseStatus.CONFLICT)) {
                throw e;
            }
        }
    }

    @Override
    public Optional<String> latestRetainedCheckpoint(String jobId) {
        try {
            return state.latestCheckpoint(jobId);
        } catch (UncheckedIOException e) {
            throw new FlinkException(FlinkException.Problem.UNREACHABLE, e.getMessage(), e);
        }
    }

    @Override
    public JobCounters counters(String jobId) {
        JobAccumulatorsInfo accumulators = call(JobAccumulatorsHeaders.getInstance(),
            jobParameters(new JobAccumulatorsMessageParameters(), JobID.fromHexString(jobId)),
            EmptyRequestBody.getInstance(), List.of(), CALL_TIMEOUT, "reading the counters of job " + jobId);
        Map<String, String> counters = new HashMap<>();
        for (JobAccumulatorsInfo.UserTaskAccumulator accumulator : accumulators.getUserAccumulators()) {
            counters.put(accumulator.getName(), accumulator.getValue());
        }
        return new JobCounters(counters);
    }

    @Override
    public Optional<String> dashboardUrl(String jobId) {
        return runningUrl().map(base -> jobId == null ? base + "/" : base + "/#/job/running/" + jobId + "/overview");
    }

    private synchronized Optional<String> runningUrl() {
        return Optional.ofNullable(url).map(value -> {
            String text = value.toString();
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        });
    }

    @Override
    public void forget(String pipeId) {
        state.deleteSpec(pipeId);
    }

    private static <P extends MessageParameters> P jobParameters(P parameters, JobID id) {
        resolve(parameters, "jobid", id.toHexString());
        return parameters;
    }

    /** Resolves the parameter named {@code key} (path or query) of a message whose parameters are not public. */
    private static void resolve(MessageParameters parameters, String key, String value) {
        List<MessageParameter<?>> all = new ArrayList<>(parameters.getPathParameters());
        all.addAll(parameters.getQueryParameters());
        for (MessageParameter<?> parameter : all) {
            if (parameter.getKey().equals(key)) {
                try {
                    parameter.resolveFromString(value);
                } catch (org.apache.flink.runtime.rest.messages.ConversionException e) {
                    throw new IllegalArgumentException("not a valid " + key + ": " + value, e);
                }
                return;
            }
        }
        throw new IllegalArgumentException("the message has no parameter " + key);
    }

    private <R extends RequestBody, P extends ResponseBody, M extends MessageParameters> P call(
        MessageHeaders<R, P, M> headers, M parameters, R body, Collection<FileUpload> files, Duration timeout,
        String what) {
        RestClient rest = connect();
        URL target;
        synchronized (this) {
            target = url;
        }
        try {
            CompletableFuture<P> reply = rest.sendRequest(target.getHost(), target.getPort(), headers, parameters, body,
                files);
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new FlinkException(FlinkException.Problem.TIMEOUT, "Flink at " + target + " did not answer "
                + what + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkException(FlinkException.Problem.UNREACHABLE, "interrupted while " + what, e);
        } catch (ExecutionException | IOException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            Optional<RestClientException> refused = ExceptionUtils.findThrowable(cause, RestClientException.class);
            if (refused.isPresent()) {
                int code = refused.get().getHttpResponseStatus().code();
                throw new FlinkException(code >= 500 ? FlinkException.Problem.UNAVAILABLE
                    : FlinkException.Problem.REFUSED, "Flink refused " + what + ": HTTP " + code + " "
                    + serverCause(String.valueOf(refused.get().getMessage())), refused.get());
            }
            boolean unreachable = ExceptionUtils.findThrowable(cause, ConnectException.class).isPresent()
                || ExceptionUtils.findThrowable(cause, IOException.class).isPresent();
            throw new FlinkException(unreachable ? FlinkException.Problem.UNREACHABLE
                : FlinkException.Problem.UNAVAILABLE, "Flink at " + target + " failed " + what + ": " + cause, cause);
        }
    }

    private static boolean isNotFound(FlinkException e) {
        return hasStatus(e, HttpResponseStatus.NOT_FOUND);
    }

    private static boolean hasStatus(FlinkException e, HttpResponseStatus status) {
        return e.getCause() instanceof RestClientException refused && refused.getHttpResponseStatus().equals(status);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.closeAsync();
            client = null;
        }
        executor.shutdownNow();
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("the Flink cluster did not stop: " + e.getMessage(), e);
        }
    }
}
