package dev.ferry.controller.pipe;

/** No pipe (or no table of a pipe) has the id or name asked for. */
public final class PipeNotFoundException extends RuntimeException {

    public PipeNotFoundException(String message) {
        super(message);
    }
}
