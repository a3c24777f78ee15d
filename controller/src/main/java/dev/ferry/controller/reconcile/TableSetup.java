package dev.ferry.controller.reconcile;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.controller.connect.ClickHouseVersion;
import dev.ferry.controller.connect.Connections;
import dev.ferry.controller.connect.Destination;
import dev.ferry.controller.connect.Source;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;

/**
 * Setting tables up for a load, the one way it is done: at the pipe's first setup, at a resync of the whole pipe,
 * and for tables added or resynced on their own. First the tables (a {@code _resync} table replaces any earlier
 * one, and its original gets the mapping's typed columns, so that the swap carries its deleted rows over), then the
 * source's change stream start and the collections' sizes, captured after the tables exist and before the snapshot
 * reads, so that the stream covers every write the snapshot might miss.
 */
final class TableSetup {

    /** What a set-up learnt: the cluster time the change stream starts from, and each table's new load. */
    record Loads(long startAt, Map<String, PipeStatus.TableState> tables) {

        Loads {
            tables = Map.copyOf(tables);
        }
    }

    /**
     * Where tables are created and with which types: {@code _peerdb_synced_at}'s as the server has it now, the
     * typed columns' as at the pipe's setup ({@code columnsVersion}), so that tables created later agree with the
     * first ones and with the job.
     */
    record Tables(Destination destination, String docType, String syncedAtType, ClickHouseVersion columnsVersion) {

        /** The table itself. */
        void create(PipeSpec spec, String table) {
            destination.createTable(table, TableLayouts.of(spec, table, docType, syncedAtType, columnsVersion));
        }

        /** The {@code _resync} table a load goes into before it is swapped in for {@code table}. */
        void createResync(PipeSpec spec, String table) {
            destination.addMissingColumns(table, TableLayouts.columns(spec.mapping(table).orElseThrow(),
                columnsVersion));
            destination.dropTable(table + PipeStatus.RESYNC_SUFFIX);
            destination.createTable(table + PipeStatus.RESYNC_SUFFIX, TableLayouts.of(spec, table, docType,
                syncedAtType, columnsVersion));
        }
    }

    private final Connections connections;
    private final Clock clock;

    TableSetup(Connections connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
    }

    /** The pipe's destination, with the types its tables take. */
    Tables tables(PipeSpec spec, String docType, ClickHouseVersion columnsVersion) {
        Destination destination = connections.destination(spec.destination());
        return new Tables(destination, docType, destination.version().syncedAtType(), columnsVersion);
    }

    /**
     * The next load of each of {@code tables}, from the source's change stream start now. Loads of the pipe's own
     * snapshot ({@code ownSnapshots} false: the first setup, a resync of the whole pipe) start with the pipe; a
     * table added or resynced on its own has a snapshot of its own, from its own start, under a new generation
     * that tells it from the table's earlier load; {@code resynced} load into their {@code _resync} tables.
     */
    Loads loads(PipeSpec spec, PipeStatus status, List<String> tables, boolean ownSnapshots,
                Collection<String> resynced) {
        Source source = connections.source(spec.source());
        long startAt = source.startPosition();
        Map<String, Long> estimates = source.estimatedCounts(tables.stream()
            .map(table -> spec.mapping(table).orElseThrow()).toList());
        long now = clock.millis();
        Map<String, PipeStatus.TableState> loads = new HashMap<>();
        for (String table : tables) {
            PipeStatus.TableState previous = status.tables().get(table);
            int generation = !ownSnapshots ? 0
                : Math.max((int) (now / 1000), previous == null ? 1 : previous.generation() + 1);
            loads.put(table, PipeStatus.TableState.toLoad(generation, ownSnapshots ? startAt : 0,
                resynced.contains(table) ? PipeStatus.TableResync.LOADING : null, spec.tableResyncNonce(table),
                estimates.getOrDefault(table, 0L), spec.settings().replicationMode().snapshots(),
                PipeStatus.TableState.nextLoadId(now, previous)));
        }
        return new Loads(startAt, loads);
    }
}
