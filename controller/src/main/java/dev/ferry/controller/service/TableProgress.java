package dev.ferry.controller.service;

import java.util.Map;
import java.util.Optional;

import org.apache.flink.runtime.execution.ExecutionState;

import dev.ferry.common.JobGraphNames;
import dev.ferry.controller.flink.FlinkJob;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.TableMapping;

/**
 * One table of a pipe as {@code GET /v1/pipes/{id}/tables} shows it: the snapshot's progress (rows loaded out of
 * the collection's estimated count, rate, time left) and the changes applied since the job last started.
 */
public record TableProgress(String targetTable, String source, Snapshot snapshot, Cdc cdc) {

    public record Snapshot(String status, long rowsLoaded, long rowsEstimated, Double rowsPerSecond, Long etaSeconds) {
    }

    public record Cdc(long inserts, long updates, long deletes, String lastSyncedAt) {
    }

    static TableProgress of(Pipe pipe, TableMapping mapping, Optional<FlinkJob> job, Map<String, Long> counters,
                            String lastSyncedAt, long nowMillis) {
        String table = mapping.targetTable();
        PipeStatus.TableState state = pipe.status().tables().get(table);
        long estimated = state == null ? 0 : state.rowsEstimated();
        Optional<FlinkJob.Vertex> vertex = job.flatMap(j -> j.vertex(name -> JobGraphNames.isSnapshotVertexOf(name,
            table)));
        long loaded = vertex.map(FlinkJob.Vertex::recordsWritten).orElse(0L);
        String status;
        if (!pipe.spec().settings().replicationMode().snapshots()) {
            status = "skipped";
        } else {
            status = vertex.map(v -> snapshotStatus(v.state())).orElse("pending");
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

    private static String snapshotStatus(ExecutionState state) {
        return switch (state) {
            case FINISHED -> "done";
            case RUNNING -> "running";
            case FAILED, CANCELED, CANCELING -> "stopped";
            default -> "pending";
        };
    }
}
