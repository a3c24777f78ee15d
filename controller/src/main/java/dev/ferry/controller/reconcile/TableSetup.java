package dev.ferry.controller.reconcile;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import dev.ferry.common.mongo.StartPosition;
import dev.ferry.controller.api.ApiException;
import dev.ferry.controller.connect.ClickHouseDestination;
import dev.ferry.controller.connect.ClickHouseVersion;
import dev.ferry.controller.connect.MongoSourceCheck;
import dev.ferry.controller.flink.FlinkSession;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeRequest;
import dev.ferry.controller.pipe.PipeStatus;

/** The Setup state's work: the ClickHouse tables a pipe needs, and where its change stream starts. */
final class TableSetup {

    private static final Logger log = LoggerFactory.getLogger(TableSetup.class);

    private final FlinkSession flink;
    private final JobSpecs specs;
    private final PipeStatuses statuses;
    private final Clock clock;

    TableSetup(FlinkSession flink, JobSpecs specs, PipeStatuses statuses, Clock clock) {
        this.flink = flink;
        this.specs = specs;
        this.statuses = statuses;
        this.clock = clock;
    }

    /** Creates the pipe's database and tables, captures the change stream's start and submits its job. */
    void setUp(Pipe pipe) {
        PipeRequest request = pipe.request();
        try {
            ClickHouseDestination destination = new ClickHouseDestination(request.destination());
            ClickHouseVersion version = destination.version();
            String docType = version.docColumnType(request.settings().docColumnType());
            if (docType == null) {
                statuses.save(pipe, pipe.status().failedBecause("docColumnType JSON needs ClickHouse 25.3 or newer, and "
                    + request.destination().url() + " runs " + version + "; use docColumnType auto or String"));
                return;
            }
            destination.createDatabase();
            for (PipeRequest.TableMapping mapping : request.tableMappings()) {
                destination.createTable(mapping.targetTable(), docType, version.syncedAtType());
            }
            Map<String, Long> estimates = new HashMap<>();
            long startAt;
            try (MongoClient client = MongoClients.create(MongoSourceCheck.effectiveUri(request.source()))) {
                // captured before the job starts, so the change stream covers every write the snapshot might miss
                startAt = StartPosition.capture(client).getValue();
                for (PipeRequest.TableMapping mapping : request.tableMappings()) {
                    estimates.put(mapping.targetTable(), client.getDatabase(mapping.sourceDatabaseName())
                        .getCollection(mapping.sourceCollection()).estimatedDocumentCount());
                }
            }
            // the job's spec is written from the status it will run under: what this server can answer
            Pipe setUp = pipe.withStatus(pipe.status().setUpWith(startAt, docType, version.toString(), estimates, null),
                clock.instant());
            String jobId = flink.submit(specs.write(setUp, startAt, ""), Optional.empty());
            log.info("pipe {} ({}): job {} submitted", request.name(), pipe.id(), jobId);
            statuses.save(pipe, setUp.status().withJob(jobId));
        } catch (ApiException e) {
            statuses.save(pipe, pipe.status().failedBecause(e.getMessage()));
        }
    }

    /**
     * Creates the tables added to the pipe, and the {@code _resync} tables of the tables to resync on their own,
     * and gives each a snapshot of its own starting just after the current cluster time; the changes that the
     * resumed stream replays from before that lose to it.
     */
    void setUpTables(Pipe pipe) {
        PipeStatus status = pipe.status();
        PipeStatus.TableSnapshots tables = status.tables();
        List<String> mapped = pipe.request().tableMappings().stream().map(PipeRequest.TableMapping::targetTable)
            .toList();
        ClickHouseDestination destination = new ClickHouseDestination(pipe.request().destination());
        String syncedAtType = destination.version().syncedAtType();
        Map<String, PipeStatus.TableSnapshot> snapshots = new HashMap<>(tables.snapshots());
        Map<String, Long> estimates = new HashMap<>();
        try (MongoClient client = MongoClients.create(MongoSourceCheck.effectiveUri(pipe.request().source()))) {
            long startAt = StartPosition.capture(client).getValue();
            for (PipeRequest.TableMapping mapping : pipe.request().tableMappings()) {
                String table = mapping.targetTable();
                boolean added = tables.pending().contains(table);
                boolean resynced = tables.pendingResync().contains(table);
                if (!added && !resynced) {
                    continue;
                }
                String created = resynced ? table + ResyncSteps.RESYNC_SUFFIX : table;
                if (resynced) {
                    destination.dropTable(created); // left by an earlier attempt
                }
                destination.createTable(created, status.docColumnType(), syncedAtType);
                PipeStatus.TableSnapshot previous = snapshots.get(table);
                // a new generation names a new snapshot operator, which loads the collection again
                int generation = Math.max((int) (clock.millis() / 1000), previous == null ? 0 : previous.generation() + 1);
                snapshots.put(table, new PipeStatus.TableSnapshot(generation, startAt,
                    resynced ? PipeStatus.TableResync.LOADING : null));
                estimates.put(table, client.getDatabase(mapping.sourceDatabaseName())
                    .getCollection(mapping.sourceCollection()).estimatedDocumentCount());
            }
        }
        log.info("pipe {} ({}): tables set up: added {}, resyncing {}", pipe.request().name(), pipe.id(),
            tables.pending(), tables.pendingResync().stream().filter(mapped::contains).toList());
        statuses.save(pipe, status.withTables(new PipeStatus.TableSnapshots(Map.copyOf(snapshots), List.of(), List.of()))
            .withoutSourceGone(tables.pendingResync()).withEstimates(estimates).snapshotPending());
    }
}
