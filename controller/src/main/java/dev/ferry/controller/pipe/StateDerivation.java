package dev.ferry.controller.pipe;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import dev.ferry.common.JobGraphNames;
import dev.ferry.controller.flink.FlinkJobStatus;

/**
 * The lifecycle state of a pipe, derived from what the controller has recorded and what it observes of the
 * pipe's Flink job, never stored as a goal of its own (the Flink Kubernetes Operator's way).
 */
public final class StateDerivation {

    /** A derived state and the reason a user is shown for it. */
    public record Derived(LifecycleState state, String reason) {
    }

    /**
     * What the controller sees of the job now: its status (or that Flink does not know it), why it failed, how
     * many seconds its change stream is behind (when known), when this was observed (epoch millis), and which
     * tables' collections the stream saw dropped or renamed (table -> what happened).
     */
    public record Observation(Optional<FlinkJobStatus> job, String failureCause, OptionalLong lagSeconds,
                              long observedAtMillis, Map<String, String> sourcesGone) {
        public Observation(Optional<FlinkJobStatus> job, String failureCause) {
            this(job, failureCause, OptionalLong.empty(), 0, Map.of());
        }

        public static Observation none() {
            return new Observation(Optional.empty(), null);
        }
    }

    /** A running job that completed no checkpoint for this long is Degraded: its progress is not being kept. */
    static final long CHECKPOINT_STALE_MILLIS = 5 * 60 * 1000;

    /** The reason shown while a job that Flink lost is being restored from its latest checkpoint. */
    public static final String RESTORING = "starting the Flink job again from where it stopped (a resume, or a "
        + "restart of the controller or cluster)";

    /** The reason shown while tables added to the pipe, or {@code _resync} tables, are created. */
    public static final String ADDING_TABLES = "creating the ClickHouse tables that added tables and table resyncs "
        + "need before the job starts again";

    private static final String HISTORY_LOST = "ChangeStreamHistoryLost";
    public static final String RESYNC_STARTING = "resync: starting a fresh snapshot into the _resync tables";
    public static final String RESYNC_SWAPPING = "resync: the _resync tables are loaded; swapping them in for the "
        + "originals";

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
        Optional<FlinkJobStatus> job = observation.job();
        boolean jobActive = job.isPresent() && !job.get().isTerminal();
        PipeStatus.Resync resync = status.resync();
        if (resync == PipeStatus.Resync.REQUESTED) {
            return new Derived(LifecycleState.SNAPSHOT, RESYNC_STARTING);
        }
        if (resync == PipeStatus.Resync.LOADING) {
            if (!jobActive) {
                return new Derived(LifecycleState.SNAPSHOT, RESTORING);
            }
            if (snapshotUnfinished(request, job.get())) {
                return new Derived(LifecycleState.SNAPSHOT, "resync: loading the collections into the _resync tables");
            }
            return new Derived(LifecycleState.RESYNC, RESYNC_SWAPPING);
        }
        if (resync == PipeStatus.Resync.SWAPPING) {
            return new Derived(LifecycleState.RESYNC, RESYNC_SWAPPING);
        }
        PipeStatus.Pause pause = status.pause();
        PipeStatus.TableSnapshots tables = status.tables();
        if (pause.requested() && pause.restart()) {
            List<String> loaded = tables.resyncing(PipeStatus.TableResync.LOADED);
            if (!loaded.isEmpty()) {
                return new Derived(LifecycleState.MODIFYING, "resync of " + String.join(", ", loaded) + ": loaded; "
                    + "stopping the job with a savepoint to swap the _resync table in");
            }
            return new Derived(LifecycleState.MODIFYING, (tables.pendingResync().isEmpty() ? "" : "resync of "
                + String.join(", ", tables.pendingResync()) + ": ") + "applying a change of settings or tables: "
                + "stopping the job with a savepoint and starting it again from there");
        }
        if (pause.requested()) {
            if (jobActive) {
                return new Derived(LifecycleState.PAUSING, pause.resumeFrom() == null
                    ? "stopping the job with a savepoint" : "waiting for the job to stop after its savepoint");
            }
            if (pause.resumeFrom() != null) {
                return new Derived(LifecycleState.PAUSED, pause.notice() != null ? pause.notice()
                    : "paused; resume continues from " + pause.resumeFrom());
            }
            if (pause.notice() != null) {
                return new Derived(LifecycleState.PAUSED, pause.notice());
            }
            return new Derived(LifecycleState.PAUSING, "looking for the position to resume from");
        }
        String finished = job.map(FlinkJobStatus::state).orElse("");
        if (job.isEmpty() || (finished.equals("FINISHED") && !"snapshot".equals(request.settings().replicationMode()))) {
            // a job the cluster lost (the controller or the cluster restarted), or one stopped by a pause that was
            // resumed: the reconciler submits it again from where it stopped, after creating tables it now needs
            if (!tables.nothingPending()) {
                return new Derived(LifecycleState.SETUP, ADDING_TABLES);
            }
            boolean loaded = status.snapshotDone();
            return new Derived(loaded ? LifecycleState.RUNNING : LifecycleState.SNAPSHOT, RESTORING);
        }
        switch (finished) {
            case "FAILED":
                return new Derived(LifecycleState.FAILED, "the Flink job failed: " + observation.failureCause()
                    + "; fix the cause, then resync the pipe");
            case "CANCELED":
                return new Derived(LifecycleState.FAILED, "the Flink job " + job.get().jobId() + " was cancelled "
                    + "outside ferry; resync the pipe to start it again");
            case "FINISHED":
                return new Derived(LifecycleState.COMPLETED, "the snapshot is complete");
            default:
                break;
        }
        String notice = pause.notice() == null ? "" : " (" + pause.notice() + ")";
        FlinkJobStatus.Health health = job.get().health();
        if (health.failedWith(HISTORY_LOST)) {
            return new Derived(LifecycleState.FAILED, "MongoDB no longer has the change stream's resume point in its "
                + "oplog (ChangeStreamHistoryLost): changes were lost to this pipe; resync it, and keep more oplog "
                + "history than the longest pause or outage");
        }
        if (isMissingTable(health)) {
            String detail = health.failedWith("Code: 60,") ? health.lineWith("Code: 60,") : health.lineWith("UNKNOWN_TABLE");
            return new Derived(LifecycleState.FAILED, "a destination table is gone (" + detail
                + "); resync the pipe to create and load it again");
        }
        if (finished.equals("RESTARTING") || health.failingSinceLastCheckpoint()) {
            return new Derived(LifecycleState.DEGRADED, "the job is restarting after an error"
                + (health.lastException() == null ? "" : " (" + health.lastException() + ")")
                + "; it recovers by itself once the cause is gone (a source or destination outage, for example); "
                + "it becomes Failed if Flink's restart strategy gives up");
        }
        if (!status.sourcesGone().isEmpty()) {
            return new Derived(LifecycleState.DEGRADED, sourcesGoneReason(request, status.sourcesGone())
                + "; the other tables go on");
        }
        long checkpointedOrStarted = Math.max(health.lastCheckpointMillis(), job.get().startTimeMillis());
        if (finished.equals("RUNNING") && observation.observedAtMillis() > 0 && checkpointedOrStarted > 0
            && observation.observedAtMillis() - checkpointedOrStarted > CHECKPOINT_STALE_MILLIS) {
            return new Derived(LifecycleState.DEGRADED, "no checkpoint has completed for "
                + (observation.observedAtMillis() - checkpointedOrStarted) / 60_000 + " minutes: the pipe's "
                + "position is not being saved, so a restart would replay more; see the checkpoints tab of the "
                + "Flink dashboard (a sink blocked by its destination, for example)");
        }
        if (!status.snapshotDone() && !"cdc_only".equals(request.settings().replicationMode())
            && snapshotUnfinished(request, job.get())) {
            List<String> resyncing = tables.resyncing(PipeStatus.TableResync.LOADING);
            return new Derived(LifecycleState.SNAPSHOT, (resyncing.isEmpty() ? "loading the collections"
                : "resync of " + String.join(", ", resyncing) + ": loading into the _resync table while the other "
                + "tables go on") + notice);
        }
        int threshold = request.settings().lagThresholdSeconds();
        if (observation.lagSeconds().isPresent() && observation.lagSeconds().getAsLong() > threshold) {
            return new Derived(LifecycleState.DEGRADED, "the change stream is " + observation.lagSeconds().getAsLong()
                + " s behind MongoDB, more than settings.lagThresholdSeconds (" + threshold + " s), and ClickHouse "
                + "as far: the job does not keep up with the writes (a slow destination, or a burst of writes); "
                + "it is Running again once it catches up");
        }
        return new Derived(LifecycleState.RUNNING, "replicating changes" + notice);
    }

    /**
     * What to tell the user about collections dropped or renamed under the pipe: which, what became of their
     * tables, and how to go on.
     */
    public static String sourcesGoneReason(PipeRequest request, Map<String, String> gone) {
        List<String> what = gone.entrySet().stream().map(entry -> request.tableMappings().stream()
                .filter(mapping -> mapping.targetTable().equals(entry.getKey())).findFirst()
                .map(mapping -> "collection " + mapping.namespace() + " (table " + entry.getKey() + ") was "
                    + entry.getValue())
                .orElse("the collection of table " + entry.getKey() + " was " + entry.getValue()))
            .toList();
        return String.join("; ", what) + ": its table keeps the rows it had and gets no further changes; remove the "
            + "mapping (PATCH /v1/pipes/{id} with removeTableMappings), or resync the table once the collection "
            + "exists again (POST /v1/pipes/{id}/tables/{table}/resync)";
    }

    /** ClickHouse's UNKNOWN_TABLE (code 60): the table was dropped under the pipe, which no restart can mend. */
    private static boolean isMissingTable(FlinkJobStatus.Health health) {
        return health.failedWith("UNKNOWN_TABLE") || health.failedWith("Code: 60,");
    }

    private static boolean snapshotUnfinished(PipeRequest request, FlinkJobStatus job) {
        return request.tableMappings().stream().anyMatch(mapping -> job
            .vertex(name -> JobGraphNames.isSnapshotVertexOf(name, mapping.targetTable()))
            .map(vertex -> !vertex.status().equals("FINISHED"))
            .orElse(true));
    }
}
