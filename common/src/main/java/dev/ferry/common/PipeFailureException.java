package dev.ferry.common;

/** A pipe's job fails with this when it meets a {@link PipeFailure}: restarting cannot help. */
public final class PipeFailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final PipeFailure failure;

    PipeFailureException(PipeFailure failure, String detail, Throwable cause) {
        super(failure.name() + ": " + detail, cause);
        this.failure = failure;
    }

    public PipeFailure failure() {
        return failure;
    }
}
