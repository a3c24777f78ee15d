package dev.ferry.controller.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ferry.controller.catalog.TransitionListener;
import dev.ferry.controller.metrics.ControllerMetrics;
import dev.ferry.controller.pipe.AlertSettings;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.Transition;
import dev.ferry.controller.reconcile.Backoff;

/**
 * Announces transitions to webhooks: the pipe's own ({@code settings.alerts}) or else the controller's. Delivery
 * happens on a thread of its own, so the reconciler that recorded the transition never waits for a webhook; a
 * delivery that fails (no answer, or not 2xx) is counted and tried again with a growing backoff, up to
 * {@link #MAX_ATTEMPTS} times.
 */
public final class AlertNotifier implements TransitionListener, AutoCloseable {

    static final int MAX_ATTEMPTS = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(AlertNotifier.class);

    private final AlertSettings controllerAlerts;
    private final ControllerMetrics metrics;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ScheduledExecutorService deliveries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ferry-alerts");
        thread.setDaemon(true);
        return thread;
    });

    public AlertNotifier(AlertSettings controllerAlerts, ControllerMetrics metrics, ObjectMapper json) {
        this.controllerAlerts = controllerAlerts;
        this.metrics = metrics;
        this.json = json;
    }

    @Override
    public void transitioned(Pipe pipe, Transition transition) {
        AlertSettings alerts = pipe.spec().settings().alerts().isSet() ? pipe.spec().settings().alerts()
            : controllerAlerts;
        if (!alerts.announces(transition.to())) {
            return;
        }
        Alert alert = new Alert(pipe.name(), transition.from() == null ? null : transition.from().label(),
            transition.to().label(), transition.reason(), transition.at().toString());
        deliveries.execute(() -> deliver(alerts.webhookUrl(), alert, 1));
    }

    private void deliver(URI webhook, Alert alert, int attempt) {
        String failure;
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(webhook).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(alert))).build(),
                HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                metrics.alertDelivered(alert.pipe());
                return;
            }
            failure = "HTTP " + response.statusCode();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert is plain strings", e);
        } catch (IOException e) {
            failure = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        metrics.alertFailed(alert.pipe());
        // the webhook's host only: its path often carries a token
        if (attempt >= MAX_ATTEMPTS) {
            log.warn("alert of pipe {} entering {} not delivered to {} after {} attempts: {}", alert.pipe(),
                alert.to(), webhook.getHost(), attempt, failure);
            return;
        }
        Duration wait = Backoff.after(attempt);
        log.info("alert of pipe {} entering {} not delivered to {} ({}); trying again in {} s", alert.pipe(),
            alert.to(), webhook.getHost(), failure, wait.toSeconds());
        deliveries.schedule(() -> deliver(webhook, alert, attempt + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        deliveries.shutdownNow();
    }
}
