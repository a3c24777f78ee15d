package dev.ferry.controller.pipe;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest observations of each pipe, kept in memory: of its job (by the reconciler's observer) and of its sync
 * log and source (by the sync observer). Every state derived for a read or a write uses them, so that the API and
 * the reconciler see the same state.
 */
public final class Observations {

    private final Map<String, JobObservation> jobs = new ConcurrentHashMap<>();
    private final Map<String, SyncObservation> syncs = new ConcurrentHashMap<>();

    public Optional<JobObservation> of(String pipeId) {
        return Optional.ofNullable(jobs.get(pipeId));
    }

    public void record(String pipeId, JobObservation observation) {
        jobs.put(pipeId, observation);
    }

    /** Forgets the pipe's job; what its sync log said stays (it is about the pipe, not one job). */
    public void forget(String pipeId) {
        jobs.remove(pipeId);
    }

    public Optional<SyncObservation> syncOf(String pipeId) {
        return Optional.ofNullable(syncs.get(pipeId));
    }

    public void recordSync(String pipeId, SyncObservation observation) {
        syncs.put(pipeId, observation);
    }

    /** Forgets everything of a pipe that is gone. */
    public void forgetPipe(String pipeId) {
        jobs.remove(pipeId);
        syncs.remove(pipeId);
    }

    /** The pipe with its lifecycle state derived afresh from its spec, its status and these observations. */
    public Pipe withState(Pipe pipe) {
        OptionalDouble lag = syncOf(pipe.id()).map(SyncObservation::lagSeconds).orElse(OptionalDouble.empty());
        return pipe.withLifecycle(Lifecycle.derive(pipe.spec(), pipe.status(), of(pipe.id()), lag));
    }
}
