package dev.ferry.controller.connect;

import java.util.Locale;
import java.util.Set;

import dev.ferry.controller.ServerException;

/** ClickHouse did not do what was asked; {@link Problem} and ClickHouse's error code say why. */
public final class DestinationException extends ServerException {

    /** Why. */
    public enum Problem {
        /** no connection, or it broke */
        UNREACHABLE(true),
        /** no answer within the timeout */
        TIMEOUT(true),
        /** the credentials were refused */
        AUTH_FAILED(false),
        /** the server refused a statement with an error code that does not heal */
        REFUSED(false),
        /** the server refused a statement with an error code of a passing condition (overload, network) */
        BUSY(true),
        /** the server lacks what the pipe asks for (the JSON type, say) */
        UNSUITABLE(false);

        private final boolean canHeal;

        Problem(boolean canHeal) {
            this.canHeal = canHeal;
        }
    }

    /**
     * ClickHouse's codes of refusals that pass: TIMEOUT_EXCEEDED, TOO_MANY_SIMULTANEOUS_QUERIES, SOCKET_TIMEOUT,
     * NETWORK_ERROR, MEMORY_LIMIT_EXCEEDED, TOO_MANY_PARTS, TABLE_IS_READ_ONLY, UNKNOWN_STATUS_OF_INSERT,
     * ALL_CONNECTION_TRIES_FAILED, KEEPER_EXCEPTION.
     */
    private static final Set<Integer> PASSING = Set.of(159, 202, 209, 210, 241, 242, 252, 279, 319, 999);
    /** AUTHENTICATION_FAILED, UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD, ACCESS_DENIED. */
    private static final Set<Integer> AUTH = Set.of(516, 192, 193, 194, 497);

    private final Problem problem;
    private final int serverCode;

    public DestinationException(Problem problem, int serverCode, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
        this.serverCode = serverCode;
    }

    /** A refusal classified by ClickHouse's error code (0 when the answer had none: a proxy's 5xx, say). */
    public static DestinationException refused(int serverCode, int httpStatus, String message) {
        Problem problem;
        if (AUTH.contains(serverCode) || httpStatus == 401 || httpStatus == 403) {
            problem = Problem.AUTH_FAILED;
        } else if (PASSING.contains(serverCode) || (serverCode == 0 && httpStatus >= 500)) {
            problem = Problem.BUSY;
        } else {
            problem = Problem.REFUSED;
        }
        return new DestinationException(problem, serverCode, message, null);
    }

    public Problem problem() {
        return problem;
    }

    /** ClickHouse's error code, or 0. */
    public int serverCode() {
        return serverCode;
    }

    @Override
    public boolean canHeal() {
        return problem.canHeal;
    }

    @Override
    public String code() {
        return "clickhouse_" + problem.name().toLowerCase(Locale.ROOT);
    }
}
