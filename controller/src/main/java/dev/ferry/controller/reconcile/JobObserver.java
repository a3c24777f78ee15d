package dev.ferry.controller.reconcile;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.flink.api.common.JobStatus;

import dev.ferry.common.JobGraphNames;
import dev.ferry.controller.ServerException;
import dev.ferry.controller.connect.Connections;
import dev.ferry.controller.flink.FlinkJob;
import dev.ferry.controller.flink.JobCounters;
import dev.ferry.controller.flink.FlinkService;
import dev.ferry.controller.pipe.JobFacts;
import dev.ferry.controller.pipe.JobObservation;
import dev.ferry.controller.pipe.Observations;
import dev.ferry.controller.pipe.Phase;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.SourceGone;
import dev.ferry.controller.pipe.TableMapping;

/**
 * Looks at a pipe's job and records what it sees in {@link Observations} (the operator's observer). The counters
 * that tell of dropped or renamed collections, which Flink refreshes only every few seconds, and the check of a
 * failing job's destination tables, are read at most every 5 s per job; the last reading serves in between. What
 * the job made durable is the sync log's to tell ({@link SyncObserver}).
 */
final class JobObserver {

    /** One reading of the slow signals of a running job. */
    private record Signals(Map<String, SourceGone> sourcesGone, long readAtMillis) {
    }

    /** One check of a failing job's destination tables. */
    private record TableCheck(List<String> missing, long checkedAtMillis) {
    }

    private static final long REFRESH_MILLIS = 5_000;
    /**
     * How long the cluster must not know a job before it counts as lost: a JobManager recovering its jobs (with
     * high availability) may answer for a moment that it knows none, and taking that for a loss would start a
     * second job beside the recovered one.
     */
    static final long LOST_AFTER_MILLIS = 10_000;

    private final FlinkService flink;
    private final Connections connections;
    private final Observations observations;
    private final Clock clock;
    private final Map<String, Signals> signals = new ConcurrentHashMap<>();
    private final Map<String, TableCheck> tableChecks = new ConcurrentHashMap<>();
    /** Per pipe, since when the cluster has not known its job. */
    private final Map<String, Missing> missing = new ConcurrentHashMap<>();

    private record Missing(String jobId, long sinceMillis) {
    }

    JobObserver(FlinkService flink, Connections connections, Observations observations, Clock clock) {
        this.flink = flink;
        this.connections = connections;
        this.observations = observations;
        this.clock = clock;
    }

    /**
     * Observes the pipe's job when it has one that runs or is stopping, and records what it saw: the observation
     * (in {@link Observations}, where the planner and the API read it) and the facts it adds to the status (saved
     * through the step). Nothing while the cluster has not known the job for long enough to call it lost: the job
     * is not seen at the moment.
     */
    void observe(Step step) {
        Pipe pipe = step.pipe();
        PipeStatus status = pipe.status();
        boolean hasJob = status.jobId() != null && status.failure() == null
            && (status.phase() == Phase.DEPLOYED || status.phase() == Phase.STOPPING);
        if (!hasJob) {
            forget(pipe.id());
            return;
        }
        long now = clock.millis();
        Optional<FlinkJob> job = flink.job(status.jobId());
        if (job.isEmpty()) {
            Missing since = missing.merge(pipe.id(), new Missing(status.jobId(), now),
                (before, latest) -> before.jobId().equals(latest.jobId()) ? before : latest);
            if (now - since.sinceMillis() < LOST_AFTER_MILLIS) {
                observations.forget(pipe.id());
                return;
            }
        }
        missing.remove(pipe.id());
        JobObservation observation = job.map(seen -> JobObservation.of(seen, now))
            .orElseGet(() -> JobObservation.lostAt(status.jobId(), now));
        if (job.isPresent()) {
            observation = observation.withSignals(sourcesGone(pipe, job.get(), now),
                missingTables(pipe, job.get(), now));
        }
        observations.record(pipe.id(), observation);
        PipeStatus withFacts = JobFacts.recorded(pipe.spec(), status, Optional.of(observation));
        if (withFacts != status) {
            step.save(withFacts);
        }
    }

    void forget(String pipeId) {
        observations.forget(pipeId);
        signals.remove(pipeId);
        tableChecks.remove(pipeId);
        missing.remove(pipeId);
    }

    /** The mapped tables whose collections the job saw dropped or renamed, by its counters. */
    private Map<String, SourceGone> sourcesGone(Pipe pipe, FlinkJob job, long now) {
        Signals last = signals.get(pipe.id());
        if (last != null && now - last.readAtMillis() < REFRESH_MILLIS) {
            return last.sourcesGone();
        }
        Map<String, SourceGone> gone = new HashMap<>();
        if (job.state() == JobStatus.RUNNING) {
            JobCounters counters = flink.counters(job.jobId());
            for (TableMapping mapping : pipe.status().lastReconciledSpec().tableMappings()) {
                String table = mapping.targetTable();
                PipeStatus.TableState state = pipe.status().tables().get(table);
                if (state != null && state.resync() != null) {
                    continue;
                }
                for (SourceGone event : SourceGone.values()) {
                    if (counters.count(JobGraphNames.sourceEventCounter(table, event.event())) > 0) {
                        gone.put(table, event);
                    }
                }
            }
        }
        signals.put(pipe.id(), new Signals(gone, now));
        return gone;
    }
    /**
     * The destination tables the job writes to that are gone, checked only while the job fails (at once when it
     * starts failing, then at most every 5 s): a dropped table is a failure no restart mends. When ClickHouse does
     * not answer, that is an outage, not a missing table.
     */
    private List<String> missingTables(Pipe pipe, FlinkJob job, long now) {
        if (job.state() != JobStatus.RESTARTING && !job.health().failingSinceLastCheckpoint()) {
            tableChecks.remove(pipe.id());
            return List.of();
        }
        TableCheck last = tableChecks.get(pipe.id());
        if (last != null && now - last.checkedAtMillis() < REFRESH_MILLIS) {
            return last.missing();
        }
        List<String> missing;
        try {
            missing = connections.destination(pipe.status().lastReconciledSpec().destination())
                .missingTables(JobSpecs.destinationTables(pipe.id(), pipe.status()));
        } catch (ServerException e) {
            missing = List.of();
        }
        tableChecks.put(pipe.id(), new TableCheck(missing, now));
        return missing;
    }
}
