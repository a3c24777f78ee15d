package dev.ferry.controller.flink;

import java.util.Locale;

import dev.ferry.controller.ServerException;

/** The Flink cluster could not be reached, did not answer in time, or refused a request. */
public final class FlinkException extends ServerException {

    /** Why. */
    public enum Problem {
        /** no connection, or it broke */
        UNREACHABLE(true),
        /** no answer in time */
        TIMEOUT(true),
        /** the cluster failed the request (HTTP 5xx): a job still initializing, a JobManager busy or recovering */
        UNAVAILABLE(true),
        /** the cluster does not know what the request names: a job, a savepoint trigger, a jar (HTTP 404) */
        NOT_FOUND(false),
        /** the state of what the request names does not allow it: a job that has ended already (HTTP 409) */
        CONFLICT(false),
        /** the cluster refused the request itself (any other HTTP 4xx) */
        REFUSED(false);

        private final boolean canHeal;

        Problem(boolean canHeal) {
            this.canHeal = canHeal;
        }
    }

    private final Problem problem;

    public FlinkException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    @Override
    public boolean canHeal() {
        return problem.canHeal;
    }

    @Override
    public String code() {
        return "flink_" + problem.name().toLowerCase(Locale.ROOT);
    }
}
