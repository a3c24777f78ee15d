package dev.ferry.controller.api;

import dev.ferry.controller.ServerException;
import dev.ferry.controller.flink.FlinkException;
import dev.ferry.controller.pipe.ChangeRefusedException;
import dev.ferry.controller.pipe.ConflictException;
import dev.ferry.controller.pipe.InvalidRequestException;
import dev.ferry.controller.pipe.PipeNotFoundException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A refused request as the API answers it: the HTTP status, a stable code and a message that says what is wrong
 * and how to fix it, rendered as {@code {"error": {"code", "message", "problems"}}}. The one place that knows
 * status codes: the other layers throw their own typed errors, which {@link #of} translates.
 */
final class ApiException extends RuntimeException {

    /** A problem's text that begins with the field it concerns: {@code tableMappings[0].targetTable: ...}. */
    private static final Pattern FIELD = Pattern.compile(
        "^([A-Za-z][A-Za-z0-9_]*(?:\\[\\d+])?(?:\\.[A-Za-z][A-Za-z0-9_]*(?:\\[\\d+])?)*): (.+)$",
        Pattern.DOTALL);

    /** One thing wrong with a request, and the field it concerns when it names one (else null). */
    record Problem(String field, String message) {
    }

    private final int status;
    private final String code;
    private final List<String> problems;

    ApiException(int status, String code, String message) {
        this(status, code, message, List.of(message));
    }

    private ApiException(int status, String code, String message, List<String> problems) {
        super(message);
        this.status = status;
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    /** The answer to an error of another layer, or empty when it is not a refusal (a bug: 500). */
    static Optional<ApiException> of(RuntimeException error) {
        ApiException answer;
        if (error instanceof ApiException api) {
            answer = api;
        } else if (error instanceof InvalidRequestException invalid) {
            answer = new ApiException(400, "invalid_request", error.getMessage(), invalid.problems());
        } else if (error instanceof PipeNotFoundException) {
            answer = notFound(error.getMessage());
        } else if (error instanceof ConflictException) {
            answer = new ApiException(409, "conflict", error.getMessage());
        } else if (error instanceof ChangeRefusedException refused) {
            answer = new ApiException(422, refused.code(), error.getMessage());
        } else if (error instanceof FlinkException flink) {
            answer = new ApiException(503, flink.code(), error.getMessage());
        } else if (error instanceof ServerException server) {
            answer = new ApiException(422, server.code(), error.getMessage());
        } else {
            answer = null;
        }
        return Optional.ofNullable(answer);
    }

    int status() {
        return status;
    }

    /** Each problem, with the request's field it concerns where its text names one, so a form can show it there. */
    List<Problem> problems() {
        return problems.stream().map(problem -> {
            Matcher field = FIELD.matcher(problem);
            return field.matches() ? new Problem(field.group(1), field.group(2)) : new Problem(null, problem);
        }).toList();
    }

    String code() {
        return code;
    }
}
