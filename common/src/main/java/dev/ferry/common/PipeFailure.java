package dev.ferry.common;

import java.util.Optional;

/**
 * Causes that stop a pipe's job for good, however often Flink restarts it. The job finds them where they are
 * thrown, by the server's error code, and fails with a {@link PipeFailureException} that names one; the controller
 * recognises it in the job's failure as Flink reports it, so that the pipe is Failed at once instead of restarting
 * forever.
 */
public enum PipeFailure {

    /** MongoDB no longer has the change stream's resume point (error 286, ChangeStreamHistoryLost). */
    CHANGE_STREAM_HISTORY_LOST,
    /**
     * An update read with post-images came without one (the collection's {@code changeStreamPreAndPostImages} was
     * turned off, or its images expired): the document as that update left it is gone for good.
     */
    POST_IMAGE_MISSING;

    /** The cause named in a job failure's stack trace (as Flink's REST API gives it), if it is one of these. */
    public static Optional<PipeFailure> in(String stackTrace) {
        if (stackTrace == null) {
            return Optional.empty();
        }
        String marker = PipeFailureException.class.getName() + ": ";
        for (String line : stackTrace.lines().toList()) {
            int at = line.indexOf(marker);
            if (at < 0) {
                continue;
            }
            String rest = line.substring(at + marker.length());
            for (PipeFailure failure : values()) {
                if (rest.startsWith(failure.name() + ":")) {
                    return Optional.of(failure);
                }
            }
        }
        return Optional.empty();
    }

    /** The exception the job fails with; its message starts with the cause's name. */
    public PipeFailureException exception(String detail, Throwable cause) {
        return new PipeFailureException(this, detail, cause);
    }
}
