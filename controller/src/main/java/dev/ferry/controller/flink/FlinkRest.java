package dev.ferry.controller.flink;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.rest.FileUpload;
import org.apache.flink.runtime.rest.RestClient;
import org.apache.flink.runtime.rest.messages.MessageHeaders;
import org.apache.flink.runtime.rest.messages.MessageParameters;
import org.apache.flink.runtime.rest.messages.RequestBody;
import org.apache.flink.runtime.rest.messages.ResponseBody;
import org.apache.flink.runtime.rest.util.RestClientException;
import org.apache.flink.util.ExceptionUtils;

/**
 * Calls to a Flink cluster's REST API with Flink's own REST client and message classes, each with a timeout, and
 * what goes wrong classified into a {@link FlinkException}: no connection, no answer in time, the cluster failing
 * (5xx), not knowing what was named (404), a state that does not allow it (409), or refusing it (other 4xx).
 * The embedded cluster is started by the first call.
 */
final class FlinkRest implements AutoCloseable {

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final FlinkCluster cluster;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "ferry-flink-rest");
        thread.setDaemon(true);
        return thread;
    });
    private RestClient client;
    private URL url;

    FlinkRest(FlinkCluster cluster) {
        this.cluster = cluster;
    }

    /** Whether a call has connected to the cluster (and so started the embedded one). */
    synchronized boolean isConnected() {
        return client != null;
    }

    /** The cluster's REST address, once connected. */
    synchronized Optional<URL> url() {
        return Optional.ofNullable(url);
    }

    /** Sends a request without files and waits at most {@link #CALL_TIMEOUT} for its answer; {@code what}: for errors. */
    <R extends RequestBody, P extends ResponseBody, M extends MessageParameters> P call(
        MessageHeaders<R, P, M> headers, M parameters, R body, String what) {
        return call(headers, parameters, body, List.of(), CALL_TIMEOUT, what);
    }

    <R extends RequestBody, P extends ResponseBody, M extends MessageParameters> P call(
        MessageHeaders<R, P, M> headers, M parameters, R body, Collection<FileUpload> files, Duration timeout,
        String what) {
        RestClient rest = connect();
        URL target = url().orElseThrow();
        try {
            CompletableFuture<P> reply = rest.sendRequest(target.getHost(), target.getPort(), headers, parameters, body,
                files);
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new FlinkException(FlinkException.Problem.TIMEOUT, "Flink at " + target + " did not answer "
                + what + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkException(FlinkException.Problem.UNREACHABLE, "interrupted while " + what, e);
        } catch (ExecutionException | IOException e) {
            throw failure(target, what, e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    private static FlinkException failure(URL target, String what, Throwable cause) {
        Optional<RestClientException> refused = ExceptionUtils.findThrowable(cause, RestClientException.class);
        if (refused.isPresent()) {
            int code = refused.get().getHttpResponseStatus().code();
            FlinkException.Problem problem = code >= 500 ? FlinkException.Problem.UNAVAILABLE
                : code == 404 ? FlinkException.Problem.NOT_FOUND
                : code == 409 ? FlinkException.Problem.CONFLICT
                : FlinkException.Problem.REFUSED;
            return new FlinkException(problem, "Flink refused " + what + ": HTTP " + code + " "
                + serverCause(String.valueOf(refused.get().getMessage())), refused.get());
        }
        boolean unreachable = ExceptionUtils.findThrowable(cause, IOException.class).isPresent();
        return new FlinkException(unreachable ? FlinkException.Problem.UNREACHABLE
            : FlinkException.Problem.UNAVAILABLE, "Flink at " + target + " failed " + what + ": " + cause, cause);
    }

    /** What the cluster says went wrong: the deepest cause of its server-side exception, in one line. */
    private static String serverCause(String message) {
        return Causes.deepest(message, Causes.firstLine(message), 300);
    }

    /** The REST client of the running cluster, starting the embedded cluster when needed. */
    private synchronized RestClient connect() {
        if (client == null) {
            try {
                url = cluster.restUrl();
                Configuration configuration = new Configuration();
                configuration.set(RestOptions.CONNECTION_TIMEOUT, CONNECT_TIMEOUT);
                client = new RestClient(configuration, executor);
            } catch (Exception e) {
                throw new FlinkException(FlinkException.Problem.UNREACHABLE, "cannot start the Flink cluster: "
                    + e.getMessage(), e);
            }
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.closeAsync();
            client = null;
        }
        executor.shutdownNow();
    }
}
