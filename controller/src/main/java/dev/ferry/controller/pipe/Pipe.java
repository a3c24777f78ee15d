package dev.ferry.controller.pipe;

import java.time.Instant;

/** A pipe in the catalog: what was asked for and what has been observed and done. */
public record Pipe(String id, PipeRequest request, PipeStatus status, Instant createdAt, Instant updatedAt) {

    public Pipe withStatus(PipeStatus newStatus, Instant now) {
        return new Pipe(id, request, newStatus, createdAt, now);
    }

    public Pipe withSettings(PipeSettings settings, Instant now) {
        return new Pipe(id, new PipeRequest(request.name(), request.source(), request.destination(),
            request.tableMappings(), settings), status, createdAt, now);
    }
}
