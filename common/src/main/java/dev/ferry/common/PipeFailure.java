package dev.ferry.common;

import java.util.Arrays;
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
    POST_IMAGE_MISSING,
    /**
     * A change event over 16 MB on a server that cannot split it (before MongoDB 6.0.9): the stream cannot pass it.
     */
    CHANGE_EVENT_TOO_LARGE;

    /** The cause named in a job failure's stack trace (as Flink's REST API gives it), if it is one of these. */
    public static Optional<PipeFailure> in(String stackTrace) {
        return line(stackTrace).flatMap(rest -> Arrays.stream(values())
            .filter(failure -> rest.startsWith(failure.name() + ":")).findFirst());
    }

    /** What the job said of the pipe failure in a job failure's stack trace: its message after the cause's name. */
    public static Optional<String> detailIn(String stackTrace) {
        return line(stackTrace).flatMap(rest -> in(stackTrace).map(failure -> rest.substring(failure.name().length()
            + 1).trim()));
    }

    /** The text after the first {@link PipeFailureException}'s class name in a stack trace. */
    private static Optional<String> line(String stackTrace) {
        if (stackTrace == null) {
            return Optional.empty();
        }
        String marker = PipeFailureException.class.getName() + ": ";
        return stackTrace.lines().filter(line -> line.contains(marker))
            .map(line -> line.substring(line.indexOf(marker) + marker.length())).findFirst();
    }

    /** The exception the job fails with; its message starts with the cause's name. */
    public PipeFailureException exception(String detail, Throwable cause) {
        return new PipeFailureException(this, detail, cause);
    }
}
