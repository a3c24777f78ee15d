package dev.ferry.controller.pipe;

import java.time.Instant;

/**
 * Something that went wrong with a pipe, kept in its error history: since when, in which state, what ({@code code},
 * a {@link Problem}'s) and why; {@code resolvedAt} is when it was over, null while it lasts.
 */
public record PipeError(Instant at, LifecycleState state, String code, String message, Instant resolvedAt) {
}
