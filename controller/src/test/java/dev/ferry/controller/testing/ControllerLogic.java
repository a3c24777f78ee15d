package dev.ferry.controller.testing;

import java.nio.file.Path;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ferry.controller.Controller;
import dev.ferry.controller.SyncLogSettings;
import dev.ferry.controller.catalog.PipeCatalog;
import dev.ferry.controller.pipe.Observations;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.reconcile.Reconciler;
import dev.ferry.controller.reconcile.SyncObserver;
import dev.ferry.controller.service.PipeService;

/**
 * The controller's logic without servers: the real catalog (in a temporary directory), service and reconciler,
 * with a fake Flink cluster, fake MongoDB and ClickHouse, and a clock that moves when the test says. The test
 * runs each reconciliation step itself.
 */
public final class ControllerLogic implements AutoCloseable {

    public final TestClock clock = new TestClock(Instant.parse("2026-11-01T00:00:00Z"));
    public final FakeFlinkService flink = new FakeFlinkService(clock);
    public final FakeConnections servers = new FakeConnections();
    public final PipeCatalog catalog;
    public final Reconciler reconciler;
    /** The sync log's observer, which the test runs itself too ({@link #readSyncs}). */
    public final SyncObserver syncs;
    public final PipeService service;
    private final ObjectMapper json = Controller.objectMapper();

    public ControllerLogic(Path directory) {
        catalog = PipeCatalog.open(directory, json, clock);
        Observations observations = new Observations();
        reconciler = new Reconciler(catalog, flink, flink, servers, SyncLogSettings.DEFAULT, observations, clock);
        syncs = new SyncObserver(catalog, servers, SyncLogSettings.DEFAULT, observations, clock);
        service = new PipeService(catalog, servers, SyncLogSettings.DEFAULT, flink, reconciler, observations, clock);
    }

    /** A pipe from {@code shop.orders} (and the other collections given) into ClickHouse's {@code dest}. */
    public Pipe create(String name, String settings, String... collections) {
        StringBuilder mappings = new StringBuilder("{\"sourceDatabaseName\": \"shop\", \"sourceCollection\": \"orders\"}");
        for (String collection : collections) {
            mappings.append(", {\"sourceDatabaseName\": \"shop\", \"sourceCollection\": \"").append(collection)
                .append("\"}");
        }
        return service.create(body("""
            {"name": "%s", "source": {"mongodb": {"uri": "mongodb://fake:27017/?replicaSet=rs0"}},
             "destination": {"clickhouse": {"url": "http://fake:8123", "database": "dest"}},
             "tableMappings": [%s], "settings": %s}""".formatted(name, mappings, settings)));
    }

    public JsonNode body(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** One reconciliation step of the pipe, then the pipe as the API shows it. */
    public Pipe step(String pipeId) {
        reconciler.reconcile(pipeId);
        return service.get(pipeId);
    }

    /** One reading of the pipe's sync log and source, then the pipe as the API shows it. */
    public Pipe readSyncs(String pipeId) {
        syncs.observe(pipeId);
        return service.get(pipeId);
    }

    /** Steps until the pipe is in {@code state} with its spec applied, failing after {@code limit} steps. */
    public Pipe stepUntil(String pipeId, String state, int limit) {
        Pipe pipe = service.get(pipeId);
        for (int i = 0; i < limit; i++) {
            if (pipe.state().label().equals(state) && pipe.status().observedGeneration() == pipe.spec().generation()) {
                return pipe;
            }
            pipe = step(pipeId);
        }
        throw new AssertionError("pipe " + pipe.name() + " is " + pipe.state() + " (" + pipe.stateReason()
            + "), observed generation " + pipe.status().observedGeneration() + " of " + pipe.spec().generation()
            + ", after " + limit + " steps; wanted " + state);
    }

    /** A running pipe whose snapshot is done. */
    public Pipe running(String name, String settings, String... collections) {
        String id = create(name, settings, collections).id();
        stepUntil(id, "Snapshot", 5);
        flink.lastJob().finishSnapshots();
        return stepUntil(id, "Running", 3);
    }

    @Override
    public void close() {
        syncs.close();
        reconciler.close();
        catalog.close();
    }
}
