package dev.ferry.controller.reconcile;

import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;

/**
 * One reconciliation step of one pipe: the pipe as last saved, and the one way to save its status. A step that
 * is about to act on a server saves its intent first (the job id it submits, the trigger of its savepoint), so
 * that a controller that dies in between picks up where it was instead of acting twice.
 */
final class Step {

    /** Saves a pipe's status and returns the pipe as saved; the pipe may have been deleted meanwhile. */
    interface StatusWriter {
        Pipe save(String pipeId, PipeStatus status);
    }

    /** The pipe was deleted while the step ran: there is nothing left to reconcile. */
    static final class PipeDeleted extends RuntimeException {
        PipeDeleted(String pipeId) {
            super("pipe " + pipeId + " was deleted");
        }
    }

    private final StatusWriter writer;
    private Pipe pipe;

    Step(Pipe pipe, StatusWriter writer) {
        this.pipe = pipe;
        this.writer = writer;
    }

    Pipe pipe() {
        return pipe;
    }

    String pipeId() {
        return pipe.id();
    }

    /** The spec as the step began: what the step applies. A change made since is applied by the next step. */
    PipeSpec spec() {
        return pipe.spec();
    }

    PipeStatus status() {
        return pipe.status();
    }

    void save(PipeStatus status) {
        pipe = writer.save(pipe.id(), status).withSpec(pipe.spec());
    }
}
