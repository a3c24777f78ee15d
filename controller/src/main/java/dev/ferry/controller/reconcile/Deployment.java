package dev.ferry.controller.reconcile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.flink.api.common.JobID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.controller.connect.ClickHouseVersion;
import dev.ferry.controller.connect.Connections;
import dev.ferry.controller.flink.FlinkService;
import dev.ferry.controller.flink.RetainedCheckpoints;
import dev.ferry.controller.pipe.Phase;
import dev.ferry.controller.SyncLogSettings;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.SourceGone;

/** Submitting a pipe's job: the first time (after setting up its tables), again after a stop, and after a loss. */
final class Deployment {

    private static final Logger log = LoggerFactory.getLogger(Deployment.class);

    private final FlinkService flink;
    private final RetainedCheckpoints checkpoints;
    private final Connections connections;
    private final SyncLogSettings syncLog;
    private final TableSetup tableSetup;

    Deployment(FlinkService flink, RetainedCheckpoints checkpoints, Connections connections, SyncLogSettings syncLog,
               TableSetup tableSetup) {
        this.flink = flink;
        this.checkpoints = checkpoints;
        this.connections = connections;
        this.syncLog = syncLog;
        this.tableSetup = tableSetup;
    }

    /**
     * Setup and the first job: the database and tables, the change stream's start and the collections' sizes
     * ({@link TableSetup}), then the job.
     */
    PipeStatus first(Step step) {
        PipeSpec spec = step.spec();
        ClickHouseVersion version = connections.destination(spec.destination()).version();
        String docType = version.requireDocColumnType(spec.settings().docColumnType(), spec.destination().url());
        TableSetup.Tables tables = tableSetup.tables(spec, docType, version);
        tables.destination().createDatabase();
        spec.targetTables().forEach(table -> tables.create(spec, table));
        TableSetup.Loads loads = tableSetup.loads(spec, step.status(), spec.targetTables(), false, List.of());
        PipeStatus setUp = step.status().toBuilder()
            .setup(new PipeStatus.Setup(loads.startAt(), docType, version.toString()))
            .tables(loads.tables())
            .snapshotDone(!spec.settings().replicationMode().snapshots())
            .resyncNonce(spec.resyncNonce())
            .build();
        return submit(step, setUp, null);
    }

    /**
     * Submits the job of the step's spec from {@code from} (a savepoint or checkpoint; null: the start position).
     * The job id is recorded before the submission, so that a controller that dies in between finds the job.
     */
    PipeStatus submit(Step step, PipeStatus base, String from) {
        PipeSpec spec = step.spec();
        // where the job logs its syncs, created before each job in case it went missing (its creation is idempotent)
        connections.syncLog(spec.destination(), syncLog.table()).create(syncLog.ttlDays());
        Map<String, PipeStatus.TableState> tables = new HashMap<>(base.tables());
        tables.keySet().retainAll(spec.targetTables());
        Map<String, SourceGone> sourcesGone = new HashMap<>(base.sourcesGone());
        sourcesGone.keySet().retainAll(spec.targetTables());
        String jobId = new JobID().toHexString();
        PipeStatus submitted = base.toBuilder()
            .phase(Phase.DEPLOYED)
            .jobId(jobId)
            .tables(tables)
            .sourcesGone(sourcesGone)
            .stop(null)
            .stopNotice(null)
            .lastCheckpoint(null)
            .resumeFrom(from)
            .reconciled(spec)
            .build();
        step.save(submitted);
        flink.submit(jobId, JobSpecs.of(step.pipeId(), spec, submitted, syncLog.table()), Optional.ofNullable(from));
        log.info("pipe {} ({}): job {} submitted from {}", spec.name(), step.pipeId(), jobId,
            from == null ? "the start position" : from);
        return submitted;
    }

    /**
     * Where a job the cluster lost goes on from: the newest checkpoint its storage retains, else the newest one
     * seen, else where it started from (null: the start position).
     */
    String lostJobPosition(PipeStatus status) {
        return checkpoints.latest(status.jobId())
            .or(() -> Optional.ofNullable(status.lastCheckpoint()).map(PipeStatus.Checkpoint::path))
            .orElse(status.resumeFrom());
    }
}
