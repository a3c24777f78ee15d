package dev.ferry.controller.flink;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Flink cluster pipes run on, reached only through its REST API: the embedded cluster, started when the first
 * pipe needs it, or (with {@code --flink-url}) a session cluster that runs elsewhere. Uploads the job jar once.
 */
public final class FlinkSession implements AutoCloseable {

    public static final String JOB_ENTRY_CLASS = "dev.ferry.job.FerryJob";

    private final EmbeddedFlinkCluster embedded;
    private final String remoteUrl;
    private final Path jobJar;
    private final ObjectMapper json;
    private FlinkRestClient client;
    private String jarId;

    private FlinkSession(EmbeddedFlinkCluster embedded, String remoteUrl, Path jobJar, ObjectMapper json) {
        this.embedded = embedded;
        this.remoteUrl = remoteUrl;
        this.jobJar = jobJar;
        this.json = json;
    }

    public static FlinkSession embedded(EmbeddedFlinkCluster cluster, Path jobJar, ObjectMapper json) {
        return new FlinkSession(cluster, null, jobJar, json);
    }

    public static FlinkSession remote(String restUrl, Path jobJar, ObjectMapper json) {
        return new FlinkSession(null, restUrl, jobJar, json);
    }

    /** The REST client of a running cluster, starting the embedded one when needed. */
    public synchronized FlinkRestClient client() {
        if (client == null) {
            if (embedded != null) {
                try {
                    embedded.start();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start the embedded Flink cluster: " + e.getMessage(), e);
                }
                client = new FlinkRestClient(embedded.restUrl(), json);
            } else {
                client = new FlinkRestClient(remoteUrl, json);
            }
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

    /** Submits a pipe's job with its spec file and returns the Flink job id. */
    public synchronized String submit(Path specFile, Optional<String> savepoint) {
        ensureJobJar();
        return client().runJar(jarId, JOB_ENTRY_CLASS, List.of("--spec", specFile.toString()), savepoint);
    }

    public String dashboardUrl(String jobId) {
        String base = runningClient().map(FlinkRestClient::baseUrl).orElse(remoteUrl);
        if (base == null) {
            return null;
        }
        return jobId == null ? base + "/" : base + "/#/job/running/" + jobId + "/overview";
    }

    @Override
    public synchronized void close() throws Exception {
        if (embedded != null) {
            embedded.close();
        }
    }
}
