package dev.ferry.controller.reconcile;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.controller.catalog.PipeCatalog;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeStatus;

/** Where the reconciler's steps record what they observed and did: the catalog, which keeps the history. */
final class PipeStatuses {

    private static final Logger log = LoggerFactory.getLogger(PipeStatuses.class);

    private final PipeCatalog catalog;
    private final Clock clock;

    PipeStatuses(PipeCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /** Saves the pipe's new status (nothing when it is unchanged) and returns the pipe as saved. */
    Pipe save(Pipe pipe, PipeStatus status) {
        if (status.equals(pipe.status())) {
            return pipe;
        }
        Pipe updated = pipe.withStatus(status, clock.instant());
        if (status.state() != pipe.status().state()) {
            log.info("pipe {} ({}): {} -> {}: {}", pipe.request().name(), pipe.id(), pipe.status().state(),
                status.state(), status.stateReason());
        }
        catalog.updateStatus(updated);
        return updated;
    }
}
