package dev.ferry.controller.pipe;

import java.time.Instant;

/**
 * A pipe in the catalog: what the user asked for ({@code spec}), what the controller observed and did
 * ({@code status}), and the lifecycle state derived from both as last computed, which the history follows.
 */
public record Pipe(String id, PipeSpec spec, PipeStatus status, LifecycleState state, String stateReason,
                   Instant createdAt, Instant updatedAt) {

    public Pipe withSpec(PipeSpec newSpec) {
        return new Pipe(id, newSpec, status, state, stateReason, createdAt, updatedAt);
    }

    public Pipe withStatus(PipeStatus newStatus) {
        return new Pipe(id, spec, newStatus, state, stateReason, createdAt, updatedAt);
    }

    public Pipe withLifecycle(Lifecycle.Derived derived) {
        return new Pipe(id, spec, status, derived.state(), derived.reason(), createdAt, updatedAt);
    }

    public Pipe updatedAt(Instant now) {
        return new Pipe(id, spec, status, state, stateReason, createdAt, now);
    }

    public String name() {
        return spec.name();
    }
}
