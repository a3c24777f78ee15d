package dev.ferry.controller.reconcile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.controller.connect.ClickHouseVersion;
import dev.ferry.controller.connect.Connections;
import dev.ferry.controller.flink.FlinkService;
import dev.ferry.controller.pipe.Phase;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.SourceGone;
import dev.ferry.controller.pipe.SpecChanges;

/**
 * Loading tables again: a resync of the whole pipe (a fresh job from a new start position into {@code _resync}
 * tables, swapped in once loaded), the tables added or resynced on their own (created before the job starts again
 * with a snapshot of their own), and the swaps.
 */
final class Resyncing {

    private static final Logger log = LoggerFactory.getLogger(Resyncing.class);

    private final FlinkService flink;
    private final Connections connections;
    private final Deployment deployment;
    private final TableSetup tableSetup;

    Resyncing(FlinkService flink, Connections connections, Deployment deployment, TableSetup tableSetup) {
        this.flink = flink;
        this.connections = connections;
        this.deployment = deployment;
        this.tableSetup = tableSetup;
    }

    /**
     * A Failed pipe whose resync was asked for starts again: from its setup when it never ran a job, otherwise
     * with a resync of the whole pipe.
     */
    PipeStatus recover(Step step) {
        PipeStatus status = step.status();
        PipeStatus.Builder cleared = status.toBuilder().failure(null).retry(null);
        if (status.setup() == null) {
            log.info("pipe {} ({}): resync of a pipe that never ran: setting it up again", step.spec().name(),
                step.pipeId());
            return cleared.phase(Phase.NEW).resyncNonce(step.spec().resyncNonce()).build();
        }
        return start(step, cleared.build());
    }

    /**
     * A resync of the whole pipe: the old job is cancelled and a new one, from a new start position, loads every
     * collection into {@code <table>_resync} and streams changes into it. A {@code cdc_only} pipe has no snapshot
     * to take again: its stream starts again from now, into its tables.
     */
    PipeStatus start(Step step, PipeStatus base) {
        PipeSpec spec = step.spec();
        if (base.jobId() != null) {
            flink.cancel(base.jobId());
        }
        ClickHouseVersion version = connections.destination(spec.destination()).version();
        boolean snapshots = spec.settings().replicationMode().snapshots();
        if (snapshots) {
            TableSetup.Tables tables = tableSetup.tables(spec, base.setup().docColumnType(), version);
            spec.targetTables().forEach(table -> tables.createResync(spec, table));
        }
        TableSetup.Loads loads = tableSetup.loads(spec, base, spec.targetTables(), false, List.of());
        PipeStatus loading = base.toBuilder()
            .setup(new PipeStatus.Setup(loads.startAt(), base.setup().docColumnType(), version.toString()))
            .tables(loads.tables())
            .resync(snapshots ? PipeStatus.WholeResync.LOADING : null)
            .snapshotDone(!snapshots)
            .sourcesGone(Map.of())
            .failure(null)
            .resyncNonce(spec.resyncNonce())
            .build();
        log.info("pipe {} ({}): resync of the whole pipe starts", spec.name(), step.pipeId());
        return deployment.submit(step, loading, null);
    }

    /** The loaded {@code _resync} tables of a whole-pipe resync go in for the originals; the job is stopped. */
    PipeStatus swapAll(Step step, PipeStatus status) {
        connections.destination(step.spec().destination())
            .swapInResyncTables(List.copyOf(status.tables().keySet()), PipeStatus.RESYNC_SUFFIX,
                step.spec().settings().keepsDeletes());
        log.info("pipe {} ({}): resynced tables swapped in", step.spec().name(), step.pipeId());
        return status.toBuilder().resync(null).snapshotDone(true).build();
    }

    /** The loaded {@code _resync} tables of tables resynced on their own go in; the job is stopped. */
    PipeStatus swapTables(Step step, PipeStatus status) {
        List<String> loaded = status.tablesResyncing(PipeStatus.TableResync.LOADED);
        connections.destination(step.spec().destination()).swapInResyncTables(loaded, PipeStatus.RESYNC_SUFFIX,
            step.spec().settings().keepsDeletes());
        Map<String, PipeStatus.TableState> tables = new HashMap<>(status.tables());
        loaded.forEach(table -> tables.computeIfPresent(table, (name, state) -> state.withResync(null)));
        log.info("pipe {} ({}): resynced tables {} swapped in", step.spec().name(), step.pipeId(), loaded);
        return status.toBuilder().tables(tables).build();
    }

    /**
     * Creates the tables added to the pipe and the {@code _resync} tables of those resynced on their own, each with
     * a snapshot of its own from just after the current cluster time; the changes the resumed stream replays from
     * before that lose to it.
     */
    PipeStatus setUpTables(Step step, PipeStatus status, SpecChanges changes) {
        PipeSpec spec = step.spec();
        ClickHouseVersion current = connections.destination(spec.destination()).version();
        TableSetup.Tables tables = tableSetup.tables(spec, status.setup().docColumnType(),
            TableLayouts.setupVersion(status, current));
        changes.added().forEach(table -> tables.create(spec, table));
        changes.resynced().forEach(table -> tables.createResync(spec, table));
        TableSetup.Loads loads = tableSetup.loads(spec, status, changes.tablesToSetUp(), true, changes.resynced());
        Map<String, PipeStatus.TableState> states = new HashMap<>(status.tables());
        states.putAll(loads.tables());
        Map<String, SourceGone> sourcesGone = new HashMap<>(status.sourcesGone());
        sourcesGone.keySet().removeAll(changes.tablesToSetUp());
        log.info("pipe {} ({}): tables set up: added {}, resyncing {}", spec.name(), step.pipeId(), changes.added(),
            changes.resynced());
        return status.toBuilder().tables(states).sourcesGone(sourcesGone)
            .snapshotDone(status.snapshotDone() && !spec.settings().replicationMode().snapshots())
            .build();
    }
}
