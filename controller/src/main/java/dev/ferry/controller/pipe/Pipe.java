package dev.ferry.controller.pipe;

import java.time.Instant;

/**
 * A pipe in the catalog: what the user asked for ({@code spec}), what the controller observed and did
 * ({@code status}), and the lifecycle state derived from both as last computed, with its reason and what is wrong
 * when it is Degraded or Failed ({@code problem}, else null), which the history and the errors follow.
 */
public record Pipe(String id, PipeSpec spec, PipeStatus status, LifecycleState state, String stateReason,
                   Problem problem, Instant createdAt, Instant updatedAt) {

    public Pipe withSpec(PipeSpec newSpec) {
        return new Pipe(id, newSpec, status, state, stateReason, problem, createdAt, updatedAt);
    }

    public Pipe withStatus(PipeStatus newStatus) {
        return new Pipe(id, spec, newStatus, state, stateReason, problem, createdAt, updatedAt);
    }

    public Pipe withLifecycle(Lifecycle.Derived derived) {
        return new Pipe(id, spec, status, derived.state(), derived.reason(), derived.problem(), createdAt, updatedAt);
    }

    public Pipe updatedAt(Instant now) {
        return new Pipe(id, spec, status, state, stateReason, problem, createdAt, now);
    }

    /** Whether the table is being resynced on its own: asked for and not yet acted on, or under way. */
    public boolean isResyncing(String table) {
        PipeStatus.TableState state = status.tables().get(table);
        return state != null && (spec.tableResyncNonce(table) != state.resyncNonce() || state.resync() != null);
    }

    /** Whether a resync of the whole pipe is asked for and not yet acted on, or loads its _resync tables. */
    public boolean isResyncingWhole() {
        return spec.resyncNonce() != status.resyncNonce() || status.resync() != null;
    }

    public String name() {
        return spec.name();
    }
}
