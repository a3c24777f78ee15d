package dev.ferry.controller.reconcile;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import dev.ferry.common.JobGraphNames;
import dev.ferry.controller.flink.FlinkJobStatus;
import dev.ferry.controller.flink.FlinkRestClient;

/**
 * The signals of a running job that Flink itself refreshes only every few seconds (metrics every 10 s by default,
 * accumulators with the task heartbeats): its change-stream lag and its counters. They are read at most every
 * 5 s per job, not on every reconciliation tick (twice a second), and the last reading serves in between.
 * Used by the reconciler's thread only.
 */
final class JobSignals {

    /** One reading: the lag in seconds when the job reports it, and the job's counters. */
    record Reading(OptionalLong lagSeconds, Map<String, Long> counters, long readAtMillis) {
    }

    private static final long REFRESH_MILLIS = 5_000;

    private final Clock clock;
    private final Map<String, Reading> byJob = new HashMap<>();

    JobSignals(Clock clock) {
        this.clock = clock;
    }

    Reading of(FlinkRestClient client, FlinkJobStatus job) {
        long now = clock.millis();
        Reading last = byJob.get(job.jobId());
        if (last != null && now - last.readAtMillis() < REFRESH_MILLIS) {
            return last;
        }
        Reading fresh = new Reading(lag(client, job), client.accumulators(job.jobId()), now);
        byJob.put(job.jobId(), fresh);
        return fresh;
    }

    /** Forgets the readings of jobs no pipe runs any more. */
    void retainJobs(Set<String> jobIds) {
        byJob.keySet().retainAll(jobIds);
    }

    private static OptionalLong lag(FlinkRestClient client, FlinkJobStatus job) {
        return job.vertex(JobGraphNames::isChangeStreamVertex)
            .map(vertex -> client.gaugeMax(job.jobId(), vertex.id(), JobGraphNames.CHANGE_STREAM_LAG_METRIC))
            .filter(seconds -> seconds.isPresent() && seconds.getAsLong() >= 0)
            .orElse(OptionalLong.empty());
    }
}
