package dev.ferry.controller.pipe;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import dev.ferry.controller.flink.FlinkJob;
import dev.ferry.controller.flink.LoadProgress;

/**
 * What the observer saw of a pipe's job at {@code observedAtMillis}: the job as Flink reports it (null when the
 * cluster does not know the job: {@link #lost()}), how many seconds its change stream is behind, which mapped
 * collections it saw dropped or renamed (table -> what happened), which destination tables are gone, and how far
 * its snapshot has come per table. Kept in memory only: it is as fresh as the last look, and the next look
 * replaces it.
 */
public record JobObservation(String jobId, FlinkJob job, OptionalLong lagSeconds, Map<String, String> sourcesGone,
                             List<String> missingTables, Map<String, LoadProgress> loads, long observedAtMillis) {

    public JobObservation {
        sourcesGone = Map.copyOf(sourcesGone);
        missingTables = List.copyOf(missingTables);
        loads = Map.copyOf(loads);
    }

    public static JobObservation of(FlinkJob job, long now) {
        return new JobObservation(job.jobId(), job, OptionalLong.empty(), Map.of(), List.of(), Map.of(), now);
    }

    public static JobObservation lostAt(String jobId, long now) {
        return new JobObservation(jobId, null, OptionalLong.empty(), Map.of(), List.of(), Map.of(), now);
    }

    /** The cluster does not know the job: it was restarted without high availability, or the job was removed. */
    public boolean lost() {
        return job == null;
    }

    public JobObservation withSignals(OptionalLong lag, Map<String, String> gone, List<String> missing,
                                      Map<String, LoadProgress> loadProgress) {
        return new JobObservation(jobId, job, lag, gone, missing, loadProgress, observedAtMillis);
    }
}
