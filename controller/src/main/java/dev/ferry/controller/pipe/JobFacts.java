package dev.ferry.controller.pipe;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.execution.ExecutionState;

import dev.ferry.common.JobGraphNames;
import dev.ferry.controller.flink.FlinkJob;

/**
 * The facts an observation of a pipe's job adds to its status, for good: the newest checkpoint; while the job runs
 * as deployed, which tables are loaded and whether every one is, and which collections were dropped or renamed.
 * The observer records them; the planner reads a status with them, so that what it decides never waits for a save.
 */
public final class JobFacts {

    private JobFacts() {
    }

    /** The status with what {@code observed} (of the status's job) shows; the status itself when nothing is new. */
    public static PipeStatus recorded(PipeSpec spec, PipeStatus status, Optional<JobObservation> observed) {
        Optional<JobObservation> observation = observed.filter(seen -> seen.jobId().equals(status.jobId())
            && !seen.lost());
        if (observation.isEmpty() || status.failure() != null) {
            return status;
        }
        PipeStatus withCheckpoint = withCheckpoint(status, observation.get().job());
        return status.phase() == Phase.DEPLOYED ? withLoads(spec, withCheckpoint, observation.get())
            : withCheckpoint;
    }

    /** The status with the job's newest checkpoint, when the job shows a newer one. */
    private static PipeStatus withCheckpoint(PipeStatus status, FlinkJob job) {
        FlinkJob.Health health = job.health();
        if (health.lastCheckpointPath() == null || (status.lastCheckpoint() != null
            && health.lastCheckpointMillis() <= status.lastCheckpoint().completedAtMillis())) {
            return status;
        }
        return status.toBuilder().lastCheckpoint(new PipeStatus.Checkpoint(health.lastCheckpointPath(),
            health.lastCheckpointMillis())).build();
    }

    /** Which tables are loaded, whether every one is, and which collections are gone. */
    private static PipeStatus withLoads(PipeSpec spec, PipeStatus status, JobObservation observation) {
        FlinkJob job = observation.job();
        boolean snapshotMode = spec.settings().replicationMode() == PipeSettings.ReplicationMode.SNAPSHOT;
        boolean finished = job.state() != JobStatus.RESTARTING && (snapshotFinished(job)
            || snapshotMode && job.state() == JobStatus.FINISHED);
        PipeStatus.Builder builder = status.toBuilder();
        boolean changed = false;
        // a table is loaded once the snapshot finished (how many rows is the sync log's to count)
        if (finished && status.tables().values().stream().anyMatch(state -> !state.loaded())) {
            Map<String, PipeStatus.TableState> tables = new HashMap<>();
            status.tables().forEach((table, state) -> tables.put(table, state.loaded() ? state : state.asLoaded()));
            builder.tables(tables);
            changed = true;
        }
        boolean allLoaded = finished || status.tables().values().stream().allMatch(PipeStatus.TableState::loaded);
        if (!status.snapshotDone() && status.resync() == null && allLoaded && job.state() != JobStatus.RESTARTING) {
            builder.snapshotDone(true);
            changed = true;
        }
        if (!status.sourcesGone().entrySet().containsAll(observation.sourcesGone().entrySet())) {
            Map<String, SourceGone> gone = new HashMap<>(status.sourcesGone());
            gone.putAll(observation.sourcesGone());
            builder.sourcesGone(gone);
            changed = true;
        }
        return changed ? builder.build() : status;
    }

    /**
     * Whether the job's snapshot has finished: every collection it loads is read and, since a source finishes only
     * once its final checkpoint has completed, in ClickHouse.
     */
    public static boolean snapshotFinished(FlinkJob job) {
        return job.vertex(JobGraphNames::isSnapshotVertex)
            .map(vertex -> vertex.state() == ExecutionState.FINISHED)
            .orElse(false);
    }
}
