package dev.ferry.controller.pipe;

import java.util.Optional;

import dev.ferry.controller.flink.FlinkJobStatus;
import dev.ferry.job.JobGraphNames;

/**
 * The lifecycle state of a pipe, derived from what the controller has recorded and what it observes of the
 * pipe's Flink job, never stored as a goal of its own (the Flink Kubernetes Operator's way).
 */
public final class StateDerivation {

    /** A derived state and the reason a user is shown for it. */
    public record Derived(LifecycleState state, String reason) {
    }

    /** What the controller sees of the job now: its status, or that Flink does not know it. */
    public record Observation(Optional<FlinkJobStatus> job, String failureCause) {
        public static Observation none() {
            return new Observation(Optional.empty(), null);
        }
    }

    /** The reason shown while a job that Flink lost is being restored from its latest checkpoint. */
    public static final String RESTORING = "the Flink job is gone (the controller or cluster restarted); restoring it "
        + "from its latest checkpoint";

    private StateDerivation() {
    }

    public static Derived derive(PipeRequest request, PipeStatus status, Observation observation) {
        if (status.failure() != null) {
            return new Derived(LifecycleState.FAILED, status.failure());
        }
        if (!status.provisioned()) {
            return new Derived(LifecycleState.PROVISIONING, "bringing up the Flink cluster");
        }
        if (!status.setUp() || status.flinkJobId() == null) {
            return new Derived(LifecycleState.SETUP, "creating the ClickHouse tables");
        }
        if (observation.job().isEmpty()) {
            // the cluster lost the job (the controller or the cluster restarted): the reconciler restores it
            return new Derived(status.state(), RESTORING);
        }
        FlinkJobStatus job = observation.job().get();
        switch (job.state()) {
            case "FAILED":
                return new Derived(LifecycleState.FAILED, "the Flink job failed: " + observation.failureCause()
                    + "; fix the cause, then resync the pipe");
            case "CANCELED":
                return new Derived(LifecycleState.FAILED, "the Flink job " + job.jobId() + " was cancelled outside "
                    + "ferry; resync the pipe to start it again");
            case "FINISHED":
                return new Derived(LifecycleState.COMPLETED, "the snapshot is complete");
            default:
                break;
        }
        if (!status.snapshotDone() && !"cdc_only".equals(request.settings().replicationMode())
            && snapshotUnfinished(request, job)) {
            return new Derived(LifecycleState.SNAPSHOT, "loading the collections");
        }
        return new Derived(LifecycleState.RUNNING, "replicating changes");
    }

    private static boolean snapshotUnfinished(PipeRequest request, FlinkJobStatus job) {
        return request.tableMappings().stream().anyMatch(mapping -> job
            .vertex(name -> JobGraphNames.isSnapshotVertexOf(name, mapping.targetTable()))
            .map(vertex -> !vertex.status().equals("FINISHED"))
            .orElse(true));
    }
}
