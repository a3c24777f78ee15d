package dev.ferry.controller.reconcile;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.ferry.common.mongo.StartPosition;
import dev.ferry.controller.connect.ClickHouseDestination;
import dev.ferry.controller.connect.MongoSourceCheck;
import dev.ferry.controller.flink.FlinkJobStatus;
import dev.ferry.controller.flink.FlinkSession;
import dev.ferry.controller.pipe.LifecycleState;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeRequest;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.StateDerivation;

/** A resync's steps: of the whole pipe, and the swap of tables resynced on their own. */
final class ResyncSteps {

    static final String RESYNC_SUFFIX = PipeStatus.Resync.LOADING.tableSuffix();
    private static final Logger log = LoggerFactory.getLogger(ResyncSteps.class);

    private final FlinkSession flink;
    private final JobSpecs specs;
    private final PipeStatuses statuses;
    private final PauseSteps pauses;

    ResyncSteps(FlinkSession flink, JobSpecs specs, PipeStatuses statuses, PauseSteps pauses) {
        this.flink = flink;
        this.specs = specs;
        this.statuses = statuses;
        this.pauses = pauses;
    }

    /**
     * One step of a resync: stop the old job and start a fresh snapshot into {@code _resync} tables from a new
     * start position; once loaded, stop the job with a savepoint, swap the tables in (soft-deleted rows carried
     * over) and let the job go on from the savepoint, writing to the originals.
     */
    void resync(Pipe pipe, StateDerivation.Derived derived, StateDerivation.Observation observation) {
        PipeStatus status = pipe.status();
        PipeRequest request = pipe.request();
        ClickHouseDestination destination = new ClickHouseDestination(request.destination());
        List<String> tables = request.tableMappings().stream().map(PipeRequest.TableMapping::targetTable).toList();
        switch (status.resync()) {
            case REQUESTED -> {
                observation.job().filter(job -> !job.isTerminal()).ifPresent(job -> flink.client().cancel(job.jobId()));
                String syncedAtType = destination.version().syncedAtType();
                for (String table : tables) {
                    destination.dropTable(table + PipeStatus.Resync.LOADING.tableSuffix());
                    destination.createTable(table + PipeStatus.Resync.LOADING.tableSuffix(), status.docColumnType(),
                        syncedAtType);
                }
                long startAt;
                try (MongoClient client = MongoClients.create(MongoSourceCheck.effectiveUri(request.source()))) {
                    startAt = StartPosition.capture(client).getValue();
                }
                String jobId = flink.submit(specs.write(pipe, startAt, PipeStatus.Resync.LOADING.tableSuffix()),
                    Optional.empty());
                log.info("pipe {} ({}): resync started as job {}", request.name(), pipe.id(), jobId);
                statuses.save(pipe, status.withResync(PipeStatus.Resync.LOADING, startAt, jobId));
            }
            case LOADING -> {
                if (derived.state() == LifecycleState.RESYNC) {
                    statuses.save(pipe, status.withResync(PipeStatus.Resync.SWAPPING, status.startAtOperationTime(),
                        status.flinkJobId()).withPause(PipeStatus.Pause.requested(true)));
                }
            }
            case SWAPPING -> {
                boolean stopped = observation.job().map(FlinkJobStatus::isTerminal).orElse(true);
                if (status.pause().resumeFrom() != null && stopped) {
                    destination.swapInResyncTables(tables, PipeStatus.Resync.LOADING.tableSuffix());
                    log.info("pipe {} ({}): resynced tables swapped in", request.name(), pipe.id());
                    statuses.save(pipe, status.withResync(null, status.startAtOperationTime(), status.flinkJobId())
                        .withPause(status.pause().released()).snapshotCompleted());
                } else {
                    pauses.pause(pipe, observation);
                }
            }
        }
    }

    /** Swaps in the {@code _resync} tables of the tables resynced on their own that are loaded; the job is stopped. */
    PipeStatus swapInResyncedTables(Pipe pipe) {
        PipeStatus status = pipe.status();
        List<String> loaded = status.tables().resyncing(PipeStatus.TableResync.LOADED);
        if (loaded.isEmpty()) {
            return status;
        }
        new ClickHouseDestination(pipe.request().destination()).swapInResyncTables(loaded, RESYNC_SUFFIX);
        log.info("pipe {} ({}): resynced tables {} swapped in", pipe.request().name(), pipe.id(), loaded);
        return status.withTables(status.tables().withResyncStep(loaded, null));
    }
}
