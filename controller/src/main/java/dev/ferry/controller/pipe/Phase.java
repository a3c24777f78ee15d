package dev.ferry.controller.pipe;

/** How far the reconciler has brought a pipe's job: the reconciliation phase the lifecycle state is derived from. */
public enum Phase {
    /** accepted; the Flink cluster and the job jar are being made ready */
    NEW,
    /** Flink is ready; the tables and the change stream's start come next, then the first job */
    PROVISIONED,
    /** a job runs, or is being submitted, for the last reconciled spec */
    DEPLOYED,
    /** the job is being stopped with a savepoint */
    STOPPING,
    /** the job is stopped and its position recorded: paused, or between the steps of a restart */
    SUSPENDED
}
