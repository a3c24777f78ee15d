package dev.ferry.controller.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.ferry.controller.pipe.LifecycleState;
import dev.ferry.controller.pipe.Transition;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The controller's Prometheus metrics: each pipe's state, lag and last sync, each table's rows by operation and its
 * snapshot's progress, transitions, alert deliveries, and the JVM's own. Pipe and table values are read when
 * Prometheus scrapes (at most once every {@link #READING_TTL} for all of them), so they are as fresh as
 * {@code GET /v1/pipes/{id}/tables}; counts of events are counted as they happen.
 */
public final class ControllerMetrics {

    static final Duration READING_TTL = Duration.ofSeconds(2);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter transitions;
    private final Counter alertsDelivered;
    private final Counter alertsFailed;

    public ControllerMetrics(Supplier<List<PipeReading>> pipes) {
        ReadingCache readings = new ReadingCache(pipes, READING_TTL);
        JvmMetrics.builder().register(registry);
        GaugeWithCallback.builder().name("ferry_pipe_state").help("1 for the pipe's current state, 0 for the others")
            .labelNames("pipe", "state")
            .callback(callback -> readings.get().forEach(pipe -> {
                for (LifecycleState state : LifecycleState.values()) {
                    callback.call(pipe.state() == state ? 1 : 0, pipe.name(), state.label());
                }
            }))
            .register(registry);
        GaugeWithCallback.builder().name("ferry_pipe_lag_seconds").help("How far ClickHouse is behind MongoDB for the "
                + "pipe: the age of the oldest change not committed yet, 0 when none waits").labelNames("pipe")
            .callback(callback -> readings.get().forEach(pipe -> pipe.lagSeconds()
                .ifPresent(lag -> callback.call(lag, pipe.name()))))
            .register(registry);
        GaugeWithCallback.builder().name("ferry_pipe_last_synced_timestamp_seconds").help("When any of the pipe's "
                + "tables last received a row, in seconds since the epoch").labelNames("pipe")
            .callback(callback -> readings.get().forEach(pipe -> pipe.lastSynced()
                .ifPresent(at -> callback.call(at.getEpochSecond(), pipe.name()))))
            .register(registry);
        CounterWithCallback.builder().name("ferry_table_rows").help("Rows written to the table by operation since it "
                + "was last loaded, as the sync log counts them").labelNames("pipe", "table", "operation")
            .callback(callback -> readings.get().forEach(pipe -> pipe.tables().forEach(table -> table.rows()
                .forEach((operation, rows) -> callback.call(rows, pipe.name(), table.table(), operation)))))
            .register(registry);
        CounterWithCallback.builder().name("ferry_table_column_mismatches").help("Typed-column values that did "
                + "not fit their types (written as NULL or the default) since the table was last loaded")
            .labelNames("pipe", "table")
            .callback(callback -> readings.get().forEach(pipe -> pipe.tables().forEach(table -> table
                .columnMismatches().ifPresent(count -> callback.call(count, pipe.name(), table.table())))))
            .register(registry);
        GaugeWithCallback.builder().name("ferry_table_snapshot_rows_loaded").help("Rows the table's snapshot has "
                + "loaded").labelNames("pipe", "table")
            .callback(callback -> readings.get().forEach(pipe -> pipe.tables().forEach(table ->
                table.snapshotRowsLoaded().ifPresent(rows -> callback.call(rows, pipe.name(), table.table())))))
            .register(registry);
        GaugeWithCallback.builder().name("ferry_table_snapshot_rows_estimated").help("Documents in the table's "
                + "collection, as MongoDB estimated them when the snapshot began").labelNames("pipe", "table")
            .callback(callback -> readings.get().forEach(pipe -> pipe.tables().forEach(table ->
                callback.call(table.snapshotRowsEstimated(), pipe.name(), table.table()))))
            .register(registry);
        transitions = Counter.builder().name("ferry_pipe_transitions").help("State transitions of the pipe since the "
            + "controller started, by the state entered").labelNames("pipe", "to").register(registry);
        alertsDelivered = Counter.builder().name("ferry_alert_deliveries").help("Alerts the webhook accepted")
            .labelNames("pipe").register(registry);
        alertsFailed = Counter.builder().name("ferry_alert_delivery_failures").help("Alert deliveries that failed "
            + "(each attempt; an alert is retried with backoff)").labelNames("pipe").register(registry);
    }

    /** A pipe entered a state. */
    public void transitioned(String pipe, Transition transition) {
        transitions.labelValues(pipe, transition.to().label()).inc();
    }

    public void alertDelivered(String pipe) {
        alertsDelivered.labelValues(pipe).inc();
    }

    public void alertFailed(String pipe) {
        alertsFailed.labelValues(pipe).inc();
    }

    public String contentType() {
        return writer.getContentType();
    }

    /** Every metric, in Prometheus' text format. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
