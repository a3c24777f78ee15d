package dev.ferry.controller.reconcile;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.flink.api.common.JobID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.controller.connect.ClickHouseVersion;
import dev.ferry.controller.connect.Connections;
import dev.ferry.controller.connect.Destination;
import dev.ferry.controller.connect.DestinationException;
import dev.ferry.controller.connect.Source;
import dev.ferry.controller.flink.FlinkService;
import dev.ferry.controller.pipe.Phase;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.SyncLogSettings;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.TableMapping;

/** Submitting a pipe's job: the first time (after setting up its tables), again after a stop, and after a loss. */
final class Deployment {

    private static final Logger log = LoggerFactory.getLogger(Deployment.class);

    private final FlinkService flink;
    private final Connections connections;
    private final SyncLogSettings syncLog;
    private final Clock clock;

    Deployment(FlinkService flink, Connections connections, SyncLogSettings syncLog, Clock clock) {
        this.flink = flink;
        this.connections = connections;
        this.syncLog = syncLog;
        this.clock = clock;
    }

    /**
     * Setup and the first job: the database and tables, the change stream's start (captured before the snapshot,
     * so that the stream covers every write the snapshot might miss), the collections' sizes, then the job.
     */
    PipeStatus first(Step step) {
        PipeSpec spec = step.spec();
        Destination destination = connections.destination(spec.destination());
        ClickHouseVersion version = destination.version();
        String docType = version.docColumnType(spec.settings().docColumnType());
        if (docType == null) {
            throw new DestinationException(DestinationException.Problem.UNSUITABLE, 0, "docColumnType JSON needs "
                + "ClickHouse 25.3 or newer, and " + spec.destination().url() + " runs " + version + "; use "
                + "docColumnType auto or String", null);
        }
        destination.createDatabase();
        for (String table : spec.targetTables()) {
            destination.createTable(table, TableLayouts.of(spec, table, docType, version.syncedAtType(), version));
        }
        Source source = connections.source(spec.source());
        long startAt = source.startPosition();
        Map<String, Long> estimates = source.estimatedCounts(spec.tableMappings());
        Map<String, PipeStatus.TableState> tables = new HashMap<>();
        for (TableMapping mapping : spec.tableMappings()) {
            tables.put(mapping.targetTable(), PipeStatus.TableState.toLoad(0, 0, null,
                spec.tableResyncNonce(mapping.targetTable()), estimates.getOrDefault(mapping.targetTable(), 0L),
                spec.settings().replicationMode().snapshots(), PipeStatus.TableState.nextLoadId(clock.millis(),
                    step.status().tables().get(mapping.targetTable()))));
        }
        PipeStatus setUp = step.status().toBuilder()
            .setup(new PipeStatus.Setup(startAt, docType, version.toString()))
            .tables(tables)
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
        Map<String, String> sourcesGone = new HashMap<>(base.sourcesGone());
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
        return flink.latestRetainedCheckpoint(status.jobId())
            .or(() -> Optional.ofNullable(status.lastCheckpoint()).map(PipeStatus.Checkpoint::path))
            .orElse(status.resumeFrom());
    }
}
