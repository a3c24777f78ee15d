package dev.ferry.controller.flink;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ferry.common.JobSpec;

/**
 * The Flink cluster pipes run on, reached only through its REST API: the embedded cluster, started when the first
 * pipe needs it. Uploads the job jar once.
 */
public final class FlinkSession implements AutoCloseable {

    public static final String JOB_ENTRY_CLASS = dev.ferry.common.JobSpec.ENTRY_CLASS;

    private final EmbeddedFlinkCluster cluster;
    private final Path jobJar;
    private final ObjectMapper json;
    private FlinkRestClient client;
    private String jarId;

    public FlinkSession(EmbeddedFlinkCluster cluster, Path jobJar, ObjectMapper json) {
        this.cluster = cluster;
        this.jobJar = jobJar;
        this.json = json;
    }

    /** The REST client of the running cluster, starting it when needed. */
    public synchronized FlinkRestClient client() {
        if (client == null) {
            try {
                cluster.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the embedded Flink cluster: " + e.getMessage(), e);
            }
            client = new FlinkRestClient(cluster.restUrl(), json);
        }
        return client;
    }

    /** The client when the cluster already runs; empty before the first pipe brought it up. */
    public synchronized Optional<FlinkRestClient> runningClient() {
        return Optional.ofNullable(client);
    }

    public synchronized void ensureJobJar() {
        if (jarId == null) {
            jarId = client().uploadJar(jobJar);
        }
    }

    /** Submits a pipe's job with its spec file, from a savepoint or checkpoint when given; returns the job id. */
    public synchronized String submit(Path specFile, Optional<String> savepoint) {
        ensureJobJar();
        return client().runJar(jarId, JOB_ENTRY_CLASS, List.of("--spec", specFile.toString()), savepoint);
    }

    /** The dashboard page of a job (or the dashboard when there is none yet); null before the cluster runs. */
    public String dashboardUrl(String jobId) {
        return runningClient().map(FlinkRestClient::baseUrl)
            .map(base -> jobId == null ? base + "/" : base + "/#/job/running/" + jobId + "/overview")
            .orElse(null);
    }

    @Override
    public synchronized void close() throws Exception {
        cluster.close();
    }
}
