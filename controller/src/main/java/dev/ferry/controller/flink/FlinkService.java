package dev.ferry.controller.flink;

import java.util.Optional;

import dev.ferry.common.JobSpec;

/**
 * Everything the controller asks of Flink, in one place (the Flink Kubernetes Operator's {@code FlinkService}):
 * ready the cluster, submit a pipe's job, observe it, stop it with a savepoint, cancel it (the checkpoints a job
 * leaves are {@link RetainedCheckpoints}'). Implemented over
 * Flink's REST API for the embedded cluster; tests of the reconciler's logic give a fake. Every method throws a
 * {@link FlinkException} when the cluster does not do what was asked.
 */
public interface FlinkService extends AutoCloseable {

    /** Makes the cluster ready for jobs: started (the embedded one) and the job jar uploaded. */
    void prepare();

    /** Whether the cluster is up: the embedded one starts with the first pipe that needs it. */
    boolean isUp();

    /**
     * Whether the cluster answers now (a short call); an embedded cluster not started yet counts as reachable, as
     * it starts when a pipe needs it.
     */
    boolean reachable();

    /**
     * Submits a pipe's job under {@code jobId} (chosen by the caller, so that a submission retried after a crash
     * cannot start a second job), starting from a savepoint or checkpoint when one is given.
     */
    void submit(String jobId, JobSpec spec, Optional<String> restoreFrom);

    /** The job as the cluster reports it, or empty when the cluster does not know it. */
    Optional<FlinkJob> job(String jobId);

    /** Starts stopping the job with a savepoint under {@code triggerId}; triggering the same id again is harmless. */
    void stopWithSavepoint(String jobId, String triggerId);

    SavepointProgress savepoint(String jobId, String triggerId);

    /** Cancels the job; a job that has ended already, or that the cluster does not know, counts as cancelled. */
    void cancel(String jobId);

    /** The job's counters (accumulators). */
    JobCounters counters(String jobId);

    /** The dashboard page of a job (or of the cluster when {@code jobId} is null); empty before the cluster runs. */
    Optional<String> dashboardUrl(String jobId);

    /** Forgets what was kept for a pipe's jobs (its spec). */
    void forget(String pipeId);

    @Override
    void close();
}
