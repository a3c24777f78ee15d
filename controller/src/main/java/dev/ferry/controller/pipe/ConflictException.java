package dev.ferry.controller.pipe;

/**
 * A request that clashes with what exists: a name taken, a target table that holds rows, an action the pipe's state
 * does not allow. The message says what to do instead.
 */
public final class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
