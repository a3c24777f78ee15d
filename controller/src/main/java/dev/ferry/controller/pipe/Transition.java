package dev.ferry.controller.pipe;

import java.time.Instant;

/** One change of a pipe's lifecycle state, as {@code GET /v1/pipes/{id}/history} lists it. */
public record Transition(LifecycleState from, LifecycleState to, Instant at, String reason) {
}
