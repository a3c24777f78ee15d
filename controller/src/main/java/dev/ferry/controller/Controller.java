package dev.ferry.controller;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.PluginUtils;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ferry.controller.alerts.AlertNotifier;
import dev.ferry.controller.api.ApiAccess;
import dev.ferry.controller.api.ApiDocument;
import dev.ferry.controller.api.RestServer;
import dev.ferry.controller.catalog.PipeCatalog;
import dev.ferry.controller.connect.Connections;
import dev.ferry.controller.flink.EmbeddedFlinkCluster;
import dev.ferry.controller.flink.FlinkCluster;
import dev.ferry.controller.flink.FlinkService;
import dev.ferry.controller.flink.JobJar;
import dev.ferry.controller.flink.RestFlinkService;
import dev.ferry.controller.flink.StateDirectory;
import dev.ferry.controller.metrics.ControllerMetrics;
import dev.ferry.controller.metrics.PipeReadings;
import dev.ferry.controller.pipe.AlertSettings;
import dev.ferry.controller.pipe.Observations;
import dev.ferry.controller.reconcile.Reconciler;
import dev.ferry.controller.reconcile.SyncObserver;
import dev.ferry.controller.service.PipeService;
import dev.ferry.controller.service.Readiness;

/** A running controller: catalog, Flink session, reconciler and REST API, closed in reverse order. */
public final class Controller implements AutoCloseable {

    /**
     * How the controller is started. {@code flinkUrl}: the session cluster to drive, or null for the embedded one;
     * {@code stateDirectory}: where checkpoints, savepoints and job specs go, or null for the data directory (the
     * embedded cluster's default; a session cluster needs one its JobManager and TaskManagers reach).
     */
    public record Settings(int port, ApiAccess access, Path dataDirectory, int flinkRestPort, Path flinkConfDirectory, Path jobJar,
                           long reconcileIntervalMillis, URL flinkUrl, String stateDirectory, AlertSettings alerts,
                           SyncLogSettings syncLog) {

        /** Settings for the embedded cluster, with everything in the data directory. */
        public static Settings embedded(int port, Path dataDirectory, int flinkRestPort, Path flinkConfDirectory,
                                        Path jobJar, long reconcileIntervalMillis) {
            return new Settings(port, ApiAccess.loopback(), dataDirectory, flinkRestPort, flinkConfDirectory, jobJar,
                reconcileIntervalMillis, null, null, AlertSettings.NONE, SyncLogSettings.DEFAULT);
        }

        StateDirectory state() {
            return stateDirectory == null ? new StateDirectory(dataDirectory.toAbsolutePath().toUri())
                : StateDirectory.of(stateDirectory);
        }
    }

    private final Settings settings;
    private final AlertNotifier alerts;
    private final PipeCatalog catalog;
    private final FlinkService flink;
    private final Reconciler reconciler;
    private final SyncObserver syncObserver;
    private final RestServer rest;

    private Controller(Settings settings, PipeCatalog catalog, FlinkService flink, Reconciler reconciler,
                       SyncObserver syncObserver, RestServer rest, AlertNotifier alerts) {
        this.settings = settings;
        this.alerts = alerts;
        this.catalog = catalog;
        this.flink = flink;
        this.reconciler = reconciler;
        this.syncObserver = syncObserver;
        this.rest = rest;
    }

    public static ObjectMapper objectMapper() {
        return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    public static Controller start(Settings settings) throws IOException {
        if (!Files.isRegularFile(settings.jobJar())) {
            throw new IllegalStateException("the job jar " + settings.jobJar() + " is missing; build it with "
                + "'mvn -pl job -am package -DskipTests' (bin/ferry does this on first use)");
        }
        Files.createDirectories(settings.dataDirectory());
        ObjectMapper json = objectMapper();
        Clock clock = Clock.systemUTC();
        PipeCatalog catalog = PipeCatalog.open(settings.dataDirectory(), json, clock);
        // Flink's file systems for the state directory: S3, HDFS ... from Flink's plugins (FLINK_PLUGINS_DIR, or
        // plugins/ in the working directory), as the cluster has them
        Configuration flinkConfiguration = GlobalConfiguration.loadConfiguration(
            settings.flinkConfDirectory().toString());
        FileSystem.initialize(flinkConfiguration, PluginUtils.createPluginManagerFromRootFolder(flinkConfiguration));
        StateDirectory state = settings.state();
        FlinkCluster cluster = settings.flinkUrl() == null ? new EmbeddedFlinkCluster(settings.flinkConfDirectory(),
            settings.dataDirectory(), state, settings.flinkRestPort(), 8) : FlinkCluster.remote(settings.flinkUrl());
        FlinkService flink = new RestFlinkService(cluster, new JobJar(settings.jobJar()), state);
        Observations observations = new Observations();
        Reconciler reconciler = new Reconciler(catalog, flink, state, Connections.SERVERS, settings.syncLog(), observations,
            clock);
        SyncObserver syncObserver = new SyncObserver(catalog, Connections.SERVERS, settings.syncLog(), observations,
            clock);
        PipeService pipes = new PipeService(catalog, Connections.SERVERS, settings.syncLog(), flink, reconciler,
            observations, clock);
        ControllerMetrics metrics = new ControllerMetrics(new PipeReadings(pipes));
        catalog.onTransition((pipe, transition) -> metrics.transitioned(pipe.name(), transition));
        AlertNotifier alerts = new AlertNotifier(settings.alerts(), metrics, json);
        catalog.onTransition(alerts);
        RestServer rest = new RestServer(settings.port(), settings.access(), pipes, new Readiness(catalog, flink),
            metrics, new ApiDocument(Controller.class.getPackage().getImplementationVersion() == null ? "dev"
                : Controller.class.getPackage().getImplementationVersion()), json);
        try {
            rest.start();
        } catch (RuntimeException e) {
            rest.close();
            alerts.close();
            syncObserver.close();
            reconciler.close();
            flink.close();
            catalog.close();
            throw new IOException("cannot listen on " + settings.access().bindAddress() + ":" + settings.port()
                + ": " + e.getMessage(), e);
        }
        reconciler.start(settings.reconcileIntervalMillis());
        syncObserver.start();
        return new Controller(settings, catalog, flink, reconciler, syncObserver, rest, alerts);
    }

    public String url() {
        String host = settings.access().bindAddress();
        return "http://" + (host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host) + ":" + rest.port();
    }

    /** Every route the REST API answers, by method (for the test that holds them to the OpenAPI document). */
    public Map<String, Set<String>> routes() {
        return rest.routes();
    }

    @Override
    public void close() throws Exception {
        rest.close();
        syncObserver.close();
        reconciler.close();
        alerts.close();
        flink.close();
        catalog.close();
    }
}
