package dev.ferry.controller.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.controller.SyncLogSettings;
import dev.ferry.controller.catalog.PipeCatalog;
import dev.ferry.controller.connect.ClickHouseVersion;
import dev.ferry.controller.connect.Connections;
import dev.ferry.controller.connect.Destination;
import dev.ferry.controller.connect.Source;
import dev.ferry.controller.connect.SyncLog;
import dev.ferry.controller.flink.FlinkService;
import dev.ferry.controller.pipe.ChangeRefusedException;
import dev.ferry.controller.pipe.ConflictException;
import dev.ferry.controller.pipe.InvalidRequestException;
import dev.ferry.controller.pipe.Observations;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeError;
import dev.ferry.controller.pipe.PipeNotFoundException;
import dev.ferry.controller.pipe.PipeRequests;
import dev.ferry.controller.pipe.PipeSettings;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.SyncObservation;
import dev.ferry.controller.pipe.TableMapping;
import dev.ferry.controller.pipe.Transition;
import dev.ferry.controller.pipe.UserAction;
import dev.ferry.controller.reconcile.Reconciler;
import dev.ferry.controller.reconcile.TableLayouts;
import dev.ferry.controller.verify.Verifier;
import dev.ferry.controller.verify.VerifyProgress;
import dev.ferry.controller.verify.VerifyReport;

/**
 * What the REST API and the CLI can do with pipes. Every accepted action changes the pipe's spec only (its next
 * generation), atomically with the check that its state allows it, and answers with the state it leads into;
 * the reconciler carries it out. Creating a pipe checks the request and both servers first, so that a refused
 * request leaves nothing behind.
 */
public final class PipeService {

    /** The most syncs one request lists. */
    static final int MAX_SYNCS = 1_000;
    /** The most points one throughput request answers. */
    static final int MAX_POINTS = 10_000;
    /** The most errors a pipe's error history lists. */
    static final int MAX_ERRORS = 1_000;

    private final PipeCatalog catalog;
    private final Connections connections;
    private final SyncLogSettings syncLog;
    private final FlinkService flink;
    private final Reconciler reconciler;
    private final Observations observations;
    private final Clock clock;
    private final Verifier verifier;

    public PipeService(PipeCatalog catalog, Connections connections, SyncLogSettings syncLog, FlinkService flink,
                       Reconciler reconciler, Observations observations, Clock clock) {
        this.catalog = catalog;
        this.connections = connections;
        this.syncLog = syncLog;
        this.flink = flink;
        this.reconciler = reconciler;
        this.observations = observations;
        this.clock = clock;
        this.verifier = new Verifier(connections);
    }

    public Pipe create(JsonNode body) {
        PipeSpec spec = PipeRequests.newPipe(body);
        requireNameFree(spec.name());
        connections.source(spec.source()).check(spec.tableMappings(), spec.settings().readsPostImages());
        Destination destination = connections.destination(spec.destination());
        destination.version().requireDocColumnType(spec.settings().docColumnType(), spec.destination().url());
        requireValidTableOptions(destination, spec.tableMappings());
        requireEmpty(destination, spec.targetTables());
        Pipe pipe = observations.withState(new Pipe(UUID.randomUUID().toString(), spec, PipeStatus.initial(), null,
            null, null, clock.instant(), clock.instant()));
        synchronized (this) {
            requireNameFree(spec.name());
            catalog.insert(pipe);
        }
        return pipe;
    }

    private void requireNameFree(String name) {
        catalog.findByName(name).ifPresent(existing -> {
            throw new ConflictException("a pipe named '" + name + "' already exists (id " + existing.id()
                + "); choose another name or delete that pipe");
        });
    }

    private static void requireEmpty(Destination destination, List<String> tables) {
        destination.tablesWithRows(tables).forEach((table, rows) -> {
            throw new ConflictException("destination table " + table + " already exists and holds " + rows + " rows; "
                + "choose another targetTable or database, or drop the table");
        });
    }

    /**
     * What a source holds, for someone about to make a pipe of it ({@code POST /v1/sources/check}): its databases
     * and collections with their estimated counts, after the same checks of the request a new pipe's source gets.
     */
    public List<Source.Database> sourceDatabases(JsonNode body) {
        return connections.source(PipeRequests.sourceToCheck(body)).databases();
    }

    public List<Pipe> list() {
        return catalog.list().stream().map(observations::withState).toList();
    }

    /** The pipe with this id, or else with this name, in the state its spec, status and job show now. */
    public Pipe get(String idOrName) {
        return catalog.find(idOrName).or(() -> catalog.findByName(idOrName)).map(observations::withState)
            .orElseThrow(() -> new PipeNotFoundException("no pipe with id or name '" + idOrName + "'; GET /v1/pipes "
                + "lists the pipes"));
    }

    public List<Transition> history(String idOrName) {
        return catalog.history(get(idOrName).id());
    }

    /** A user's action on the pipe's lifecycle: pause, resume or resync. */
    public Pipe act(String idOrName, UserAction action) {
        return switch (action) {
            case PAUSE -> change(idOrName, action, pipe -> pipe.spec().paused());
            case RESUME -> change(idOrName, action, pipe -> pipe.spec().resumed());
            case RESYNC -> change(idOrName, action, pipe -> pipe.spec().resynced());
            default -> throw new IllegalArgumentException(action + " is not a change of the pipe's state");
        };
    }

    /**
     * The pipe's next spec, if its state allows {@code action}: checked and written in one step, so that a
     * reconciliation in between cannot make the check stale. Returns the pipe in the state the change leads into.
     */
    private Pipe change(String idOrName, UserAction action, Function<Pipe, PipeSpec> change) {
        String id = get(idOrName).id();
        return catalog.update(id, stored -> {
            Pipe current = observations.withState(stored);
            action.requireAllowed(current);
            return observations.withState(current.withSpec(change.apply(current)));
        }).orElseThrow(() -> new PipeNotFoundException("pipe '" + idOrName + "' was deleted meanwhile"));
    }

    /**
     * New settings. The mode and the doc column type are fixed when a pipe is created; those the job reads reach
     * it through a savepoint and a restart (Modifying), a paused pipe's on resume; the others apply at once.
     */
    public Pipe updateSettings(String idOrName, PipeSettings settings) {
        return change(idOrName, UserAction.CHANGE_SETTINGS, pipe -> {
            PipeSpec spec = pipe.spec();
            PipeSettings current = spec.settings();
            if (settings.replicationMode() != current.replicationMode()
                || settings.docColumnType() != current.docColumnType()
                || settings.fullDocument() != current.fullDocument()) {
                throw new ChangeRefusedException("setting_fixed", "replicationMode, docColumnType and fullDocument "
                    + "are fixed when a pipe is created (this one has " + current.replicationMode().label() + ", "
                    + current.docColumnType().label() + " and " + current.fullDocument().label() + "); create a new "
                    + "pipe to change them");
            }
            return spec.withSettings(settings);
        });
    }

    /**
     * Adds and removes table mappings ({@code PATCH /v1/pipes/{id}}). A running pipe goes through Modifying: its job
     * stops with a savepoint and starts again with the new tables (created in Setup, then loaded in Snapshot) while
     * the others continue from the savepoint; a paused pipe takes the change on resume. Removed tables keep their
     * data. The new collections and tables are checked on their servers before anything is recorded.
     */
    public Pipe modifyTables(String idOrName, JsonNode body) {
        Pipe pipe = get(idOrName);
        List<String> problems = new ArrayList<>();
        List<TableMapping> added = body.has("addTableMappings")
            ? PipeRequests.mappings(body.get("addTableMappings"), "addTableMappings", problems) : List.of();
        JsonNode removals = body.path("removeTableMappings");
        if (body.has("updateTableMappings")) {
            if (!added.isEmpty() || !removals.isEmpty()) {
                problems.add("updateTableMappings goes in a request of its own, without addTableMappings or "
                    + "removeTableMappings");
                throw new InvalidRequestException(problems);
            }
            return addColumns(pipe, body.get("updateTableMappings"));
        }
        if (added.isEmpty() && removals.isEmpty()) {
            problems.add("give addTableMappings and/or removeTableMappings, or updateTableMappings");
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        UserAction.CHANGE_TABLES.requireAllowed(pipe);
        if (!added.isEmpty()) {
            connections.source(pipe.spec().source()).check(added, pipe.spec().settings().readsPostImages());
            requireValidTableOptions(connections.destination(pipe.spec().destination()), added);
            requireEmpty(connections.destination(pipe.spec().destination()),
                added.stream().map(TableMapping::targetTable).toList());
        }
        return change(pipe.id(), UserAction.CHANGE_TABLES, current -> {
            requireNoWholeResync(current);
            return current.spec().withTableMappings(changedMappings(current.spec().tableMappings(), added, removals));
        });
    }

    /**
     * Adds typed columns to mapped tables ({@code updateTableMappings}): each table gets them with
     * {@code ALTER TABLE} and is resynced on its own, which fills them in every row; until its resync is swapped in,
     * the table's existing rows hold the columns' defaults. The pipe goes through Modifying as for a table resync.
     */
    private Pipe addColumns(Pipe pipe, JsonNode updates) {
        List<String> problems = new ArrayList<>();
        Map<String, List<TableMapping.ColumnMapping>> additions = PipeRequests.columnAdditions(updates, pipe.spec(),
            problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        if (!pipe.spec().settings().replicationMode().snapshots()) {
            throw new ChangeRefusedException("no_snapshot", "pipe '" + pipe.name() + "' replicates changes only "
                + "(cdc_only): a resync would fill the new columns, and such a pipe takes no snapshot");
        }
        UserAction.CHANGE_TABLES.requireAllowed(pipe);
        return change(pipe.id(), UserAction.CHANGE_TABLES, current -> {
            requireNoWholeResync(current);
            PipeSpec spec = current.spec();
            for (Map.Entry<String, List<TableMapping.ColumnMapping>> addition : additions.entrySet()) {
                String table = addition.getKey();
                if (current.isResyncing(table)) {
                    throw new ConflictException("table '" + table + "' of pipe '" + current.name() + "' is being "
                        + "resynced; add its columns once that is done");
                }
                spec = spec.withColumnsAdded(table, addition.getValue());
            }
            return spec;
        });
    }

    private static List<TableMapping> changedMappings(List<TableMapping> current, List<TableMapping> added,
                                                      JsonNode removals) {
        List<String> problems = new ArrayList<>();
        List<TableMapping> kept = new ArrayList<>(current);
        for (int i = 0; i < removals.size(); i++) {
            String db = removals.get(i).path("sourceDatabaseName").asText("");
            String collection = removals.get(i).path("sourceCollection").asText("");
            if (!kept.removeIf(m -> m.sourceDatabaseName().equals(db) && m.sourceCollection().equals(collection))) {
                problems.add("removeTableMappings[" + i + "]: " + db + "." + collection + " is not mapped by this pipe");
            }
        }
        for (TableMapping mapping : added) {
            if (kept.stream().anyMatch(m -> m.targetTable().equals(mapping.targetTable())
                || m.namespace().equals(mapping.namespace()))) {
                problems.add("addTableMappings: " + mapping.namespace() + " -> " + mapping.targetTable()
                    + " clashes with a mapping the pipe has");
            }
        }
        if (kept.isEmpty() && added.isEmpty()) {
            problems.add("a pipe needs at least one table mapping; delete the pipe instead");
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        kept.addAll(added);
        return kept;
    }

    /**
     * Resyncs one table ({@code POST /v1/pipes/{id}/tables/{table}/resync}) while the others go on: the job stops
     * with a savepoint and starts again with a fresh snapshot of that collection into {@code <table>_resync}; once
     * loaded, it is swapped in for the original the same way. A paused pipe starts it on resume.
     */
    public Pipe resyncTable(String idOrName, String table) {
        Pipe pipe = get(idOrName);
        if (pipe.spec().mapping(table).isEmpty()) {
            throw new PipeNotFoundException("pipe '" + pipe.name() + "' has no table '" + table + "'; GET "
                + "/v1/pipes/" + pipe.id() + "/tables lists its tables");
        }
        if (!pipe.spec().settings().replicationMode().snapshots()) {
            throw new ChangeRefusedException("no_snapshot", "pipe '" + pipe.name() + "' replicates changes only "
                + "(cdc_only): it takes no snapshot, so a table cannot be loaded again; resync the whole pipe to start "
                + "its change stream again from now");
        }
        return change(pipe.id(), UserAction.RESYNC_TABLE, current -> {
            requireNoWholeResync(current);
            if (current.isResyncing(table)) {
                throw new ConflictException("table '" + table + "' of pipe '" + current.name() + "' is being "
                    + "resynced already; resync it again once that is done: bin/ferry pipes wait " + current.name()
                    + " --state Running");
            }
            return current.spec().withTableResynced(table);
        });
    }

    /**
     * Refuses a change of the tables while the whole pipe is resynced: the resync loads every table into a
     * {@code _resync} table of its own, which a change of the tables would leave out.
     */
    private static void requireNoWholeResync(Pipe pipe) {
        if (pipe.isResyncingWhole()) {
            throw new ConflictException("pipe '" + pipe.name() + "' is being resynced as a whole, every table with "
                + "it; change its tables once it is Running: bin/ferry pipes wait " + pipe.name() + " --state Running");
        }
    }

    /** Stops the pipe's job and forgets the pipe; its tables stay unless {@code dropTables}. */
    public void delete(String idOrName, boolean dropTables) {
        reconciler.cleanup(get(idOrName).id(), dropTables);
    }

    /**
     * Refuses, before any table is created, engine settings the destination server does not know and partition
     * expressions it does not take over the mapping's columns.
     */
    private static void requireValidTableOptions(Destination destination, List<TableMapping> mappings) {
        // one look at the server's settings for every mapping
        List<String> unknownAnywhere = destination.unknownEngineSettings(mappings.stream()
            .flatMap(mapping -> mapping.engineSettings().keySet().stream()).distinct().toList());
        List<String> problems = new ArrayList<>();
        for (TableMapping mapping : mappings) {
            List<String> unknown = unknownAnywhere.stream().filter(mapping.engineSettings()::containsKey).toList();
            if (!unknown.isEmpty()) {
                problems.add("the engineSettings of table " + mapping.targetTable() + ": " + String.join(", ", unknown)
                    + (unknown.size() == 1 ? " is not a MergeTree setting" : " are not MergeTree settings")
                    + " of this ClickHouse server (see system.merge_tree_settings)");
            }
            if (!mapping.partitionBy().isEmpty()) {
                destination.partitionProblem(mapping.partitionBy(), TableLayouts.columns(mapping,
                    destination.version())).ifPresent(problem -> problems.add("the partitionBy of table "
                    + mapping.targetTable() + ": " + problem));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
    }

    /**
     * Per table: snapshot progress and change counts, as the sync log said when last read ({@link SyncObservation});
     * counts not read yet are left out.
     */
    public List<TableProgress> tables(String idOrName) {
        Pipe pipe = get(idOrName);
        Optional<SyncObservation> sync = observations.syncOf(pipe.id());
        return pipe.spec().tableMappings().stream().map(mapping -> TableProgress.of(pipe, mapping, sync)).toList();
    }

    /** The pipe's newest syncs committed since {@code since}, newest first, at most {@code limit}. */
    public List<SyncLog.Sync> syncs(String idOrName, Instant since, int limit) {
        Pipe pipe = get(idOrName);
        if (limit < 1 || limit > MAX_SYNCS) {
            throw new InvalidRequestException(List.of("limit must be between 1 and " + MAX_SYNCS));
        }
        if (pipe.status().setup() == null) {
            return List.of();
        }
        return connections.syncLog(pipe.spec().destination(), syncLog.table()).history(pipe.id(), since, limit);
    }

    /**
     * The pipe's rows committed per interval of {@code step} from {@code since} to now, by operation, each interval
     * there (with zeros where nothing was committed), for charts.
     */
    public Throughput throughput(String idOrName, Instant since, Duration step) {
        Pipe pipe = get(idOrName);
        long stepMillis = step.toMillis();
        if (stepMillis < 1_000) {
            throw new InvalidRequestException(List.of("step must be at least 1 second"));
        }
        long first = Math.floorDiv(since.toEpochMilli(), stepMillis) * stepMillis;
        long last = Math.floorDiv(clock.millis(), stepMillis) * stepMillis;
        if (first > last) {
            throw new InvalidRequestException(List.of("since must not be in the future"));
        }
        if ((last - first) / stepMillis + 1 > MAX_POINTS) {
            throw new InvalidRequestException(List.of("since and step make more than " + MAX_POINTS + " points; "
                + "choose a larger step or a later since"));
        }
        Map<Instant, SyncLog.Interval> committed = new HashMap<>();
        if (pipe.status().setup() != null) {
            connections.syncLog(pipe.spec().destination(), syncLog.table())
                .throughput(pipe.id(), Instant.ofEpochMilli(first), step)
                .forEach(interval -> committed.put(interval.at(), interval));
        }
        List<SyncLog.Interval> points = new ArrayList<>();
        for (long at = first; at <= last; at += stepMillis) {
            Instant start = Instant.ofEpochMilli(at);
            points.add(committed.getOrDefault(start, SyncLog.Interval.empty(start)));
        }
        return new Throughput(step.toSeconds(), points);
    }

    /** Rows per interval of {@code stepSeconds}, oldest first. */
    public record Throughput(long step, List<SyncLog.Interval> points) {
    }

    /** Everything that went wrong with the pipe, newest first: each problem with when it began and ended. */
    public List<PipeError> errors(String idOrName) {
        return catalog.errors(get(idOrName).id(), MAX_ERRORS);
    }

    /** Compares the pipe's collections (or one table's) with its tables; see {@link Verifier}. */
    public VerifyReport verify(String idOrName, Optional<String> table) {
        Pipe pipe = get(idOrName);
        if (pipe.status().setup() == null) {
            throw new ConflictException(notSetUp(pipe));
        }
        return verifier.verify(pipe, table);
    }

    /** Why a pipe whose tables are not created yet cannot be verified. */
    public static String notSetUp(Pipe pipe) {
        return "pipe '" + pipe.name() + "' is " + pipe.state() + "; its tables are not created yet, verify once it "
            + "is Snapshot or Running";
    }

    /** How far the pipe's running verification is. */
    public VerifyProgress verifyProgress(String idOrName) {
        Pipe pipe = get(idOrName);
        return verifier.progress(pipe.id()).orElseThrow(() -> new PipeNotFoundException("no verification of pipe '"
            + pipe.name() + "' is running; GET /v1/pipes/" + pipe.id() + "/verify starts one"));
    }

    /** How many seconds ClickHouse is behind MongoDB for the pipe ({@link SyncObservation}); empty when unknown. */
    public OptionalDouble lagSeconds(Pipe pipe) {
        return observations.syncOf(pipe.id()).map(SyncObservation::lagSeconds).orElse(OptionalDouble.empty());
    }

    /** What the sync log said of the pipe when last read, when it has been read. */
    public Optional<SyncObservation> syncObservation(Pipe pipe) {
        return observations.syncOf(pipe.id());
    }

    /** The dashboard page of the pipe's job, once the cluster runs. */
    public Optional<String> dashboardUrl(Pipe pipe) {
        return flink.dashboardUrl(pipe.status().jobId());
    }
}
