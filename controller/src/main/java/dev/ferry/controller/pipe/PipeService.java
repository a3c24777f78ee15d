package dev.ferry.controller.pipe;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ferry.controller.api.ApiException;
import dev.ferry.controller.catalog.PipeCatalog;
import dev.ferry.controller.connect.ClickHouseDestination;
import dev.ferry.controller.connect.ClickHouseVersion;
import dev.ferry.controller.connect.MongoSourceCheck;
import dev.ferry.controller.flink.FlinkJobStatus;
import dev.ferry.controller.flink.FlinkRestClient;
import dev.ferry.controller.flink.FlinkSession;
import dev.ferry.controller.reconcile.JobSpecs;
import dev.ferry.controller.verify.Verifier;
import dev.ferry.controller.verify.VerifyProgress;
import dev.ferry.controller.verify.VerifyReport;

/**
 * What the REST API and the CLI can do with pipes. Creating a pipe checks the request and both servers first,
 * so that a refused request leaves nothing behind; the reconciler does the rest.
 */
public final class PipeService {

    private final PipeCatalog catalog;
    private final FlinkSession flink;
    private final JobSpecs specs;
    private final PipeLocks locks;
    private final Clock clock;
    private final Verifier verifier = new Verifier();

    public PipeService(PipeCatalog catalog, FlinkSession flink, JobSpecs specs, PipeLocks locks, Clock clock) {
        this.locks = locks;
        this.catalog = catalog;
        this.flink = flink;
        this.specs = specs;
        this.clock = clock;
    }

    public synchronized Pipe create(PipeRequest request) {
        catalog.findByName(request.name()).ifPresent(existing -> {
            throw ApiException.conflict("a pipe named '" + request.name() + "' already exists (id " + existing.id()
                + "); choose another name or delete that pipe");
        });
        MongoSourceCheck.check(request);
        ClickHouseDestination destination = new ClickHouseDestination(request.destination());
        ClickHouseVersion version = destination.version();
        if (version.docColumnType(request.settings().docColumnType()) == null) {
            throw ApiException.unprocessable("json_type_unavailable", "settings.docColumnType JSON needs ClickHouse "
                + "25.3 or newer, and " + request.destination().url() + " runs " + version
                + "; use auto (JSON where available) or String");
        }
        destination.requireEmptyTargets(request.tableMappings().stream().map(PipeRequest.TableMapping::targetTable)
            .toList());
        Pipe pipe = new Pipe(UUID.randomUUID().toString(), request, PipeStatus.created(), clock.instant(),
            clock.instant());
        catalog.insert(pipe);
        return pipe;
    }

    public List<Pipe> list() {
        return catalog.list();
    }

    /** The pipe with this id, or else with this name. */
    public Pipe get(String idOrName) {
        return catalog.find(idOrName).or(() -> catalog.findByName(idOrName)).orElseThrow(() -> ApiException.notFound(
            "no pipe with id or name '" + idOrName + "'; GET /v1/pipes lists the pipes"));
    }

    public List<Transition> history(String idOrName) {
        return catalog.history(get(idOrName).id());
    }

    /**
     * A user's action on the pipe's lifecycle ({@code pause}, {@code resume}): recorded for the reconciler to carry
     * out, or refused with a 409 when the pipe's state does not allow it.
     */
    public Pipe act(String idOrName, String action) {
        return underLock(idOrName, pipe -> {
            PipeStatus.Pause pause = pipe.status().pause();
            PipeStatus changed = switch (action) {
                case "pause" -> {
                    UserAction.PAUSE.requireAllowed(pipe);
                    yield pipe.status().withPause(PipeStatus.Pause.requested(false));
                }
                case "resume" -> {
                    UserAction.RESUME.requireAllowed(pipe);
                    yield pipe.status().withPause(pause.released());
                }
                case "resync" -> {
                    UserAction.RESYNC.requireAllowed(pipe);
                    yield pipe.status().resyncRequested();
                }
                default -> throw ApiException.badRequest("unknown action '" + action
                    + "'; use {\"action\": \"pause\"}, \"resume\" or \"resync\"");
            };
            Pipe updated = pipe.withStatus(changed, clock.instant());
            catalog.updateStatus(updated);
            return updated;
        });
    }

    /** Runs a user's change on the pipe as it is now, holding its lock so the reconciler cannot interleave. */
    private Pipe underLock(String idOrName, java.util.function.UnaryOperator<Pipe> change) {
        String id = get(idOrName).id();
        synchronized (locks.of(id)) {
            return change.apply(get(id));
        }
    }

    /**
     * New settings for the pipe. The mode and the doc column type are fixed when the pipe is created; those the
     * job reads reach a running job through a savepoint and a restart (state Modifying), and a paused pipe's on
     * resume; the lag threshold is the controller's alone and applies at once.
     */
    public Pipe updateSettings(String idOrName, PipeSettings settings) {
        return underLock(idOrName, pipe -> {
            PipeSettings current = pipe.request().settings();
            if (!settings.replicationMode().equals(current.replicationMode())
                || !settings.docColumnType().equals(current.docColumnType())) {
                throw ApiException.unprocessable("setting_fixed", "replicationMode and docColumnType are fixed when a "
                    + "pipe is created (this one has " + current.replicationMode() + " and " + current.docColumnType()
                    + "); create a new pipe to change them");
            }
            UserAction.CHANGE_SETTINGS.requireAllowed(pipe);
            LifecycleState state = pipe.status().state();
            Pipe updated = pipe.withSettings(settings, clock.instant());
            if (state != LifecycleState.PAUSED && settings.changeTheJob(current)) {
                updated = updated.withStatus(updated.status().withPause(PipeStatus.Pause.requested(true)),
                    clock.instant());
            }
            catalog.updateRequest(updated);
            return updated;
        });
    }

    /**
     * Adds and removes table mappings ({@code PATCH /v1/pipes/{id}}). A running pipe goes through Modifying: its job
     * stops with a savepoint and starts again with the new tables (created, then loaded: Snapshot) while the others
     * continue from the savepoint; a paused pipe takes the change on resume. Removed tables keep their data.
     */
    public Pipe modifyTables(String idOrName, JsonNode body) {
        return underLock(idOrName, pipe -> {
            UserAction.CHANGE_TABLES.requireAllowed(pipe);
            LifecycleState state = pipe.status().state();
            List<String> problems = new java.util.ArrayList<>();
            List<PipeRequest.TableMapping> added = body.has("addTableMappings")
                ? PipeRequest.mappings(body.get("addTableMappings"), "addTableMappings", problems) : List.of();
            List<PipeRequest.TableMapping> kept = new java.util.ArrayList<>(pipe.request().tableMappings());
            JsonNode removals = body.path("removeTableMappings");
            for (int i = 0; i < removals.size(); i++) {
                String db = removals.get(i).path("sourceDatabaseName").asText("");
                String collection = removals.get(i).path("sourceCollection").asText("");
                if (!kept.removeIf(m -> m.sourceDatabaseName().equals(db) && m.sourceCollection().equals(collection))) {
                    problems.add("removeTableMappings[" + i + "]: " + db + "." + collection + " is not mapped by this pipe");
                }
            }
            if (added.isEmpty() && removals.isEmpty()) {
                problems.add("give addTableMappings and/or removeTableMappings");
            }
            for (PipeRequest.TableMapping mapping : added) {
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
                throw new ApiException(400, "invalid_request", String.join("; ", problems));
            }
            if (!added.isEmpty()) {
                MongoSourceCheck.check(pipe.request().source(), added);
                new ClickHouseDestination(pipe.request().destination())
                    .requireEmptyTargets(added.stream().map(PipeRequest.TableMapping::targetTable).toList());
            }
            List<PipeRequest.TableMapping> mappings = new java.util.ArrayList<>(kept);
            mappings.addAll(added);
            List<String> pending = new java.util.ArrayList<>(pipe.status().tables().pending());
            added.forEach(m -> pending.add(m.targetTable()));
            PipeStatus.TableSnapshots tables = pipe.status().tables();
            List<String> removed = pipe.request().tableMappings().stream().filter(m -> !kept.contains(m))
                .map(PipeRequest.TableMapping::targetTable).toList();
            List<String> stillToResync = tables.pendingResync().stream()
                .filter(t -> kept.stream().anyMatch(m -> m.targetTable().equals(t))).toList();
            PipeStatus status = pipe.status().withoutSourceGone(removed)
                .withTables(new PipeStatus.TableSnapshots(tables.snapshots(), List.copyOf(pending), stillToResync));
            if (state != LifecycleState.PAUSED) {
                status = status.withPause(PipeStatus.Pause.requested(true));
            }
            PipeRequest request = pipe.request();
            Pipe updated = new Pipe(pipe.id(), new PipeRequest(request.name(), request.source(), request.destination(),
                mappings, request.settings()), status, pipe.createdAt(), clock.instant());
            catalog.updateRequest(updated);
            return updated;
        });
    }

    /**
     * Resyncs one table ({@code POST /v1/pipes/{id}/tables/{table}/resync}) while the others go on: the job stops
     * with a savepoint and starts again with a fresh snapshot of that collection into {@code <table>_resync}; once
     * loaded, it is swapped in for the original the same way. A paused pipe starts it on resume.
     */
    public Pipe resyncTable(String idOrName, String table) {
        return underLock(idOrName, pipe -> {
            String name = pipe.request().name();
            if (pipe.request().tableMappings().stream().noneMatch(m -> m.targetTable().equals(table))) {
                throw ApiException.notFound("pipe '" + name + "' has no table '" + table + "'; GET /v1/pipes/"
                    + pipe.id() + "/tables lists its tables");
            }
            UserAction.RESYNC_TABLE.requireAllowed(pipe);
            LifecycleState state = pipe.status().state();
            if (pipe.status().tables().isResyncing(table)) {
                throw ApiException.conflict("table '" + table + "' of pipe '" + name + "' is being resynced already");
            }
            PipeStatus status = pipe.status().withTables(pipe.status().tables().withPendingResync(table));
            if (state != LifecycleState.PAUSED) {
                status = status.withPause(PipeStatus.Pause.requested(true));
            }
            Pipe updated = pipe.withStatus(status, clock.instant());
            catalog.updateStatus(updated);
            return updated;
        });
    }

    /** Stops the pipe's job and forgets the pipe; its tables stay unless {@code dropTables}. */
    public void delete(String idOrName, boolean dropTables) {
        String id = get(idOrName).id();
        synchronized (locks.of(id)) {
            deleteLocked(get(id), dropTables);
        }
        locks.forget(id);
    }

    private void deleteLocked(Pipe pipe, boolean dropTables) {
        String jobId = pipe.status().flinkJobId();
        if (jobId != null) {
            flink.runningClient().ifPresent(client -> client.cancel(jobId));
        }
        if (dropTables) {
            ClickHouseDestination destination = new ClickHouseDestination(pipe.request().destination());
            pipe.request().tableMappings().forEach(mapping -> destination.dropTable(mapping.targetTable()));
        }
        catalog.delete(pipe.id());
        specs.delete(pipe.id());
    }

    /** Per table: snapshot progress and change counts. */
    public List<TableProgress> tables(String idOrName) {
        Pipe pipe = get(idOrName);
        Optional<FlinkRestClient> client = flink.runningClient();
        String jobId = pipe.status().flinkJobId();
        Optional<FlinkJobStatus> job = Optional.empty();
        Map<String, Long> counters = Map.of();
        if (client.isPresent() && jobId != null) {
            try {
                job = client.get().job(jobId);
                counters = client.get().accumulators(jobId);
            } catch (FlinkRestClient.FlinkRestException e) {
                // Flink is not answering: show what the catalog and ClickHouse know
            }
        }
        Optional<FlinkJobStatus> observed = job;
        Map<String, Long> changes = counters;
        ClickHouseDestination destination = new ClickHouseDestination(pipe.request().destination());
        return pipe.request().tableMappings().stream()
            .map(mapping -> TableProgress.of(pipe, mapping, observed, changes, lastSyncedAt(destination, pipe, mapping),
                clock.millis()))
            .toList();
    }

    private static String lastSyncedAt(ClickHouseDestination destination, Pipe pipe, PipeRequest.TableMapping mapping) {
        if (!pipe.status().setUp()) {
            return null;
        }
        try {
            return destination.lastSyncedAt(mapping.targetTable());
        } catch (ApiException e) {
            return null;
        }
    }

    /** Compares the pipe's collections (or one table's) with its tables; see {@link Verifier}. */
    public VerifyReport verify(String idOrName, Optional<String> table) {
        Pipe pipe = get(idOrName);
        if (!pipe.status().setUp()) {
            throw ApiException.conflict("pipe '" + pipe.request().name() + "' is " + pipe.status().state()
                + "; its tables are not created yet, verify once it is Snapshot or Running");
        }
        return verifier.verify(pipe, table);
    }

    /** How far the pipe's running verification is; 404 when none runs. */
    public VerifyProgress verifyProgress(String idOrName) {
        Pipe pipe = get(idOrName);
        return verifier.progress(pipe.id()).orElseThrow(() -> ApiException.notFound("no verification of pipe '"
            + pipe.request().name() + "' is running; GET /v1/pipes/" + pipe.id() + "/verify starts one"));
    }

    public Map<String, String> dashboard(Pipe pipe) {
        String url = flink.dashboardUrl(pipe.status().flinkJobId());
        return url == null ? Map.of() : Map.of("dashboardUrl", url);
    }
}
