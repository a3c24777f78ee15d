package dev.ferry.controller.connect;

import java.util.Locale;
import java.util.Set;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

import dev.ferry.controller.ServerException;

/** MongoDB did not do what was asked; {@link Problem} says why. */
public final class SourceException extends ServerException {

    /** Why. */
    public enum Problem {
        /** no server answered in time, or the connection broke */
        UNREACHABLE(true),
        /** the credentials were refused, or lack a role */
        AUTH_FAILED(false),
        /** a standalone server: change streams need a replica set or sharded cluster */
        NOT_REPLICATED(false),
        /** older than 4.4 */
        TOO_OLD(false),
        /** a mapped collection does not exist */
        COLLECTION_MISSING(false),
        /** post-images were asked for, and the server or a collection does not keep them */
        POST_IMAGES_OFF(false),
        /** a command failed with an error code that does not heal */
        REFUSED(false),
        /** a command failed with an error code MongoDB gives while it fails over or shuts down */
        BUSY(true);

        private final boolean canHeal;

        Problem(boolean canHeal) {
            this.canHeal = canHeal;
        }
    }

    /** MongoDB's codes of errors that pass: a node shutting down, failing over or not reachable. */
    private static final Set<Integer> PASSING = Set.of(6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435,
        13436);
    private static final Set<Integer> UNAUTHORIZED = Set.of(13, 18);

    private final Problem problem;

    public SourceException(Problem problem, String message) {
        this(problem, message, null);
    }

    private SourceException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    /**
     * The driver's exception, classified by its type and MongoDB's error code; {@code hosts} are the deployment's,
     * {@code what} says what was being done.
     */
    public static SourceException of(MongoException e, String hosts, String what) {
        Problem problem;
        if (e instanceof MongoTimeoutException || e instanceof MongoSocketException
            || e instanceof MongoNotPrimaryException || e instanceof MongoNodeIsRecoveringException) {
            problem = Problem.UNREACHABLE;
        } else if (e instanceof MongoSecurityException || UNAUTHORIZED.contains(e.getCode())) {
            problem = Problem.AUTH_FAILED;
        } else if (e instanceof MongoCommandException && PASSING.contains(e.getCode())) {
            problem = Problem.BUSY;
        } else {
            problem = Problem.REFUSED;
        }
        if (problem == Problem.UNREACHABLE) {
            return new SourceException(problem, "cannot reach MongoDB at " + hosts + " (" + what + "): " + describe(e)
                + ". Check source.mongodb.uri and credentials, and that the server is up.", e);
        }
        return new SourceException(problem, "MongoDB at " + hosts + " refused " + what + ": " + describe(e), e);
    }

    private static String describe(MongoException e) {
        if (e instanceof MongoTimeoutException) {
            return "no server answered within the timeout";
        }
        if (e instanceof MongoSecurityException) {
            return "authentication failed";
        }
        String message = e.getMessage() == null ? "error " + e.getCode() : e.getMessage();
        return Secrets.redact(message.lines().findFirst().orElse(message));
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
        return problem == Problem.COLLECTION_MISSING ? "collection_not_found"
            : "mongodb_" + problem.name().toLowerCase(Locale.ROOT);
    }
}
