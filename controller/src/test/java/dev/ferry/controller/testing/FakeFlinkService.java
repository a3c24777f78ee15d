package dev.ferry.controller.testing;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.execution.ExecutionState;

import dev.ferry.common.JobGraphNames;
import dev.ferry.common.JobSpec;
import dev.ferry.common.PipeFailure;
import dev.ferry.controller.flink.FlinkException;
import dev.ferry.controller.flink.FlinkJob;
import dev.ferry.controller.flink.FlinkService;
import dev.ferry.controller.flink.RetainedCheckpoints;
import dev.ferry.controller.flink.SavepointProgress;

/**
 * A Flink cluster in memory (the operator's {@code TestingFlinkService}): jobs run as soon as they are submitted,
 * their snapshot vertex runs until a test finishes its loads, and stops with a savepoint succeed unless a test queues
 * other outcomes. Every call can be made to fail as if the cluster did not answer.
 */
public final class FakeFlinkService implements FlinkService, RetainedCheckpoints {

    /** A job as submitted. */
    public record Submission(String jobId, JobSpec spec, Optional<String> restoreFrom) {
    }

    /** A job of the fake cluster, which tests move from state to state. */
    public static final class Job {
        public final String id;
        public final JobSpec spec;
        private final long startTimeMillis;
        public JobStatus state = JobStatus.RUNNING;
        public FlinkJob.Health health = FlinkJob.Health.UNKNOWN;
        /** Per table this job loads, whether its load is done; the snapshot vertex finishes when all are. */
        private final Map<String, Boolean> loads = new LinkedHashMap<>();
        private ExecutionState snapshot;

        /** A job; restored from {@code previous}'s state, a snapshot of the same loads that had finished stays so. */
        Job(String id, JobSpec spec, long startTimeMillis, Job previous) {
            this.id = id;
            this.spec = spec;
            this.startTimeMillis = startTimeMillis;
            spec.tablesToLoad().forEach(table -> loads.put(table.table(), false));
            if (!loads.isEmpty()) {
                boolean restoredFinished = previous != null && previous.snapshot == ExecutionState.FINISHED
                    && loadKeys(previous.spec).equals(loadKeys(spec));
                snapshot = restoredFinished ? ExecutionState.FINISHED : ExecutionState.RUNNING;
                if (restoredFinished) {
                    loads.replaceAll((table, done) -> true);
                }
            }
        }

        private static Set<String> loadKeys(JobSpec spec) {
            return spec.tablesToLoad().stream().map(JobSpec.Table::loadKey).collect(Collectors.toSet());
        }

        public void finishSnapshots() {
            loads.replaceAll((table, done) -> true);
            if (snapshot != null) {
                snapshot = ExecutionState.FINISHED;
            }
        }

        /** The load of {@code table} is done; the snapshot finishes when it was the last. */
        public void finishSnapshot(String table) {
            loads.put(table, true);
            if (!loads.containsValue(false)) {
                snapshot = ExecutionState.FINISHED;
            }
        }

        /** The job failed since its last checkpoint with {@code rootCause}, naming {@code failure} when given. */
        public void failing(String rootCause, PipeFailure failure) {
            health = new FlinkJob.Health(health.lastCheckpointMillis() + 1, rootCause, failure,
                health.lastCheckpointMillis(), health.lastCheckpointPath());
        }

        public void checkpointed(String path, long atMillis) {
            health = new FlinkJob.Health(health.lastFailureMillis(), health.rootCause(), health.pipeFailure(), atMillis,
                path);
        }

        FlinkJob view() {
            List<FlinkJob.Vertex> vertices = new ArrayList<>();
            if (snapshot != null) {
                vertices.add(new FlinkJob.Vertex("v-snapshot", "Source: " + JobGraphNames.SNAPSHOT_VERTEX
                    + " -> ClickHouse snapshot: Writer", snapshot, 0));
            }
            if (spec.streamsChanges()) {
                vertices.add(new FlinkJob.Vertex("v-cs", "Source: " + JobGraphNames.CHANGE_STREAM_VERTEX,
                    ExecutionState.RUNNING, 0));
            }
            return new FlinkJob(id, state, startTimeMillis, vertices, health);
        }
    }

    private final Clock clock;
    public final List<Submission> submissions = new ArrayList<>();
    public final List<String> triggers = new ArrayList<>();
    public final List<String> cancelled = new ArrayList<>();
    public final Map<String, String> retainedCheckpoints = new HashMap<>();
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    /** Every job submitted, by id, and the job each savepoint was taken of, by location. */
    private final Map<String, Job> everyJob = new HashMap<>();
    private final Map<String, Job> savepointsOf = new HashMap<>();
    private final Map<String, SavepointProgress> savepoints = new HashMap<>();
    private final Deque<SavepointProgress> stopOutcomes = new ArrayDeque<>();
    private int prepared;
    private boolean unreachable;
    private boolean refuseStops;
    private boolean dieOnNextStop;
    private int savepointCount;

    public FakeFlinkService(Clock clock) {
        this.clock = clock;
    }

    /** Every call fails as if the cluster did not answer, until set back. */
    public void unreachable(boolean value) {
        unreachable = value;
    }

    /** Triggering a stop is refused, as Flink refuses it for a job whose tasks are not all running. */
    public void refuseStops(boolean value) {
        refuseStops = value;
    }

    /** The next stop with a savepoint is never sent: the controller dies as it calls Flink. */
    public void dieOnNextStop() {
        dieOnNextStop = true;
    }

    /** What the next stops with a savepoint come to, in order; after these, they succeed. */
    public void nextStops(SavepointProgress... outcomes) {
        stopOutcomes.addAll(List.of(outcomes));
    }

    public int prepared() {
        return prepared;
    }

    public Job jobOf(String jobId) {
        return jobs.get(jobId);
    }

    public Job lastJob() {
        return jobs.get(submissions.get(submissions.size() - 1).jobId());
    }

    /** The cluster restarts without high availability: it forgets every job. */
    public void forgetJobs() {
        jobs.clear();
    }

    private void answer() {
        if (unreachable) {
            throw new FlinkException(FlinkException.Problem.UNREACHABLE, "cannot reach Flink at http://fake:8081",
                null);
        }
    }

    @Override
    public void prepare() {
        answer();
        prepared++;
    }

    @Override
    public boolean isUp() {
        return prepared > 0;
    }

    @Override
    public boolean reachable() {
        return true;
    }

    @Override
    public void submit(String jobId, JobSpec spec, Optional<String> restoreFrom) {
        answer();
        submissions.add(new Submission(jobId, spec, restoreFrom));
        Job previous = restoreFrom.map(this::jobOfPosition).orElse(null);
        Job job = new Job(jobId, spec, clock.millis(), previous);
        jobs.put(jobId, job);
        everyJob.put(jobId, job);
    }

    /** The job a savepoint or retained checkpoint was taken of. */
    private Job jobOfPosition(String location) {
        if (savepointsOf.containsKey(location)) {
            return savepointsOf.get(location);
        }
        return retainedCheckpoints.entrySet().stream().filter(entry -> entry.getValue().equals(location))
            .map(entry -> everyJob.get(entry.getKey())).findFirst().orElse(null);
    }

    @Override
    public Optional<FlinkJob> job(String jobId) {
        answer();
        return Optional.ofNullable(jobs.get(jobId)).map(Job::view);
    }

    @Override
    public void stopWithSavepoint(String jobId, String triggerId) {
        answer();
        if (dieOnNextStop) {
            dieOnNextStop = false;
            throw new IllegalStateException("the controller died before it sent the stop");
        }
        if (refuseStops) {
            throw new FlinkException(FlinkException.Problem.CONFLICT, "Flink refused stopping job " + jobId
                + ": HTTP 409 not all tasks are running", null);
        }
        triggers.add(triggerId);
        SavepointProgress outcome = stopOutcomes.isEmpty()
            ? new SavepointProgress.Completed("file:///savepoints/savepoint-" + (++savepointCount))
            : stopOutcomes.poll();
        savepoints.put(triggerId, outcome);
        if (outcome instanceof SavepointProgress.Completed completed) {
            jobs.get(jobId).state = JobStatus.FINISHED;
            savepointsOf.put(completed.location(), jobs.get(jobId));
        }
    }

    @Override
    public SavepointProgress savepoint(String jobId, String triggerId) {
        answer();
        SavepointProgress progress = savepoints.get(triggerId);
        if (progress == null) {
            throw new FlinkException(FlinkException.Problem.NOT_FOUND, "Flink refused reading the savepoint: HTTP 404",
                null);
        }
        return progress;
    }

    @Override
    public void cancel(String jobId) {
        answer();
        cancelled.add(jobId);
        Job job = jobs.get(jobId);
        if (job != null && !job.state.isGloballyTerminalState()) {
            job.state = JobStatus.CANCELED;
        }
    }

    @Override
    public Optional<String> latest(String jobId) {
        answer();
        return Optional.ofNullable(retainedCheckpoints.get(jobId));
    }

    @Override
    public dev.ferry.controller.flink.JobCounters counters(String jobId) {
        answer();
        return dev.ferry.controller.flink.JobCounters.NONE;
    }

    @Override
    public Optional<String> dashboardUrl(String jobId) {
        return Optional.of("http://fake:8081/");
    }

    @Override
    public void forget(String pipeId) {
    }

    @Override
    public void close() {
    }
}
