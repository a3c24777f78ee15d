package dev.ferry.controller.pipe;

import java.util.Map;
import java.util.Optional;

import dev.ferry.common.JobGraphNames;
import dev.ferry.controller.flink.FlinkJobStatus;

/**
 * One table of a pipe as {@code GET /v1/pipes/{id}/tables} shows it: the snapshot's progress (rows loaded out of
 * the collection's estimated count, rate, time left) and the changes applied since the job last started.
 */
public record TableProgress(String targetTable, String source, Snapshot snapshot, Cdc cdc) {

    public record Snapshot(String status, long rowsLoaded, long rowsEstimated, Double rowsPerSecond, Long etaSeconds) {
    }

    public record Cdc(long inserts, long updates, long deletes, String lastSyncedAt) {
    }

    static TableProgress of(Pipe pipe, PipeRequest.TableMapping mapping, Optional<FlinkJobStatus> job,
                            Map<String, Long> counters, String lastSyncedAt, long nowMillis) {
        String table = mapping.targetTable();
        long estimated = pipe.status().rowsEstimated().getOrDefault(table, 0L);
        Optional<FlinkJobStatus.Vertex> vertex = job.flatMap(j -> j.vertex(name -> JobGraphNames.isSnapshotVertexOf(name, table)));
        long loaded = vertex.map(FlinkJobStatus.Vertex::recordsWritten).orElse(0L);
        String status;
        if ("cdc_only".equals(pipe.request().settings().replicationMode())) {
            status = "skipped";
        } else {
            status = vertex.map(v -> switch (v.status()) {
                case "FINISHED" -> "done";
                case "RUNNING" -> "running";
                case "FAILED", "CANCELED" -> "stopped";
                default -> "pending";
            }).orElse("pending");
        }
        Double rate = null;
        Long eta = null;
        if (status.equals("running") && job.isPresent() && job.get().startTimeMillis() > 0) {
            double seconds = Math.max(1, (nowMillis - job.get().startTimeMillis()) / 1000.0);
            rate = loaded / seconds;
            eta = rate > 0 ? (long) Math.ceil(Math.max(0, estimated - loaded) / rate) : null;
        }
        long inserts = counters.getOrDefault(JobGraphNames.changeCounter(table, "inserts"), 0L);
        long updates = counters.getOrDefault(JobGraphNames.changeCounter(table, "updates"), 0L);
        long deletes = counters.getOrDefault(JobGraphNames.changeCounter(table, "deletes"), 0L);
        return new TableProgress(table, mapping.namespace(), new Snapshot(status, loaded, estimated, rate, eta),
            new Cdc(inserts, updates, deletes, lastSyncedAt));
    }

}
