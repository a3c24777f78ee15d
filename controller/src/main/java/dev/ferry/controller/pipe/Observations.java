package dev.ferry.controller.pipe;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest observation of each pipe's job, kept in memory: the observer writes it, and every state derived for a
 * read or a write uses it, so that the API and the reconciler see the same state.
 */
public final class Observations {

    private final Map<String, JobObservation> byPipe = new ConcurrentHashMap<>();

    public Optional<JobObservation> of(String pipeId) {
        return Optional.ofNullable(byPipe.get(pipeId));
    }

    public void record(String pipeId, JobObservation observation) {
        byPipe.put(pipeId, observation);
    }

    public void forget(String pipeId) {
        byPipe.remove(pipeId);
    }

    /** The pipe with its lifecycle state derived afresh from its spec, its status and this observation. */
    public Pipe withState(Pipe pipe) {
        return pipe.withLifecycle(Lifecycle.derive(pipe.spec(), pipe.status(), of(pipe.id())));
    }
}
