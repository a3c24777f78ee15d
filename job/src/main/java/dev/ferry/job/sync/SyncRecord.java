package dev.ferry.job.sync;

import java.io.Serializable;
import java.util.List;

/**
 * A writer's part of one sync, the committable of ferry's sink: what it made durable in each table between two
 * checkpoints, committed to the sync log once the later checkpoint completes. Its key in the log is the pipe, the
 * job that wrote it, the checkpoint ({@code checkpointId}, -1 until the sink's pre-commit step sets it) and the
 * writer (the sink's name and subtask): a record restored from a checkpoint and committed again keeps that key.
 */
public record SyncRecord(String pipeId, String pipe, String jobId, String writer, long checkpointId,
                         List<TableSync> tables) implements Serializable {

    /** The checkpoint of a record the writer has not been told of yet. */
    public static final long NO_CHECKPOINT = -1;

    public SyncRecord {
        tables = List.copyOf(tables);
    }

    /** The same record, of the checkpoint that commits it. */
    public SyncRecord at(long checkpoint) {
        return new SyncRecord(pipeId, pipe, jobId, writer, checkpoint, tables);
    }
}
