package dev.ferry.controller.pipe;

import java.util.List;
import java.util.Map;

import dev.ferry.controller.flink.FlinkJob;

/**
 * What the observer saw of a pipe's job at {@code observedAtMillis}: the job as Flink reports it (null when the
 * cluster does not know the job: {@link #lost()}), which mapped collections it saw dropped or renamed (table -> what
 * happened) and which destination tables are gone. Kept in memory only: it is as fresh as the last look, and the
 * next look replaces it.
 */
public record JobObservation(String jobId, FlinkJob job, Map<String, SourceGone> sourcesGone, List<String> missingTables,
                             long observedAtMillis) {

    public JobObservation {
        sourcesGone = Map.copyOf(sourcesGone);
        missingTables = List.copyOf(missingTables);
    }

    public static JobObservation of(FlinkJob job, long now) {
        return new JobObservation(job.jobId(), job, Map.of(), List.of(), now);
    }

    public static JobObservation lostAt(String jobId, long now) {
        return new JobObservation(jobId, null, Map.of(), List.of(), now);
    }

    /** The cluster does not know the job: it was restarted without high availability, or the job was removed. */
    public boolean lost() {
        return job == null;
    }

    public JobObservation withSignals(Map<String, SourceGone> gone, List<String> missing) {
        return new JobObservation(jobId, job, gone, missing, observedAtMillis);
    }
}
