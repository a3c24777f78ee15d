package dev.ferry.controller.api;

import dev.ferry.controller.ServerException;
import dev.ferry.controller.flink.FlinkException;
import dev.ferry.controller.pipe.ChangeRefusedException;
import dev.ferry.controller.pipe.ConflictException;
import dev.ferry.controller.pipe.InvalidRequestException;
import dev.ferry.controller.pipe.PipeNotFoundException;

/**
 * A refused request as the API answers it: the HTTP status, a stable code and a message that says what is wrong
 * and how to fix it, rendered as {@code {"error": {"code", "message"}}}. The one place that knows status codes:
 * the other layers throw their own typed errors, which {@link #of} translates.
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    /** The answer to an error of another layer, or empty when it is not a refusal (a bug: 500). */
    static java.util.Optional<ApiException> of(RuntimeException error) {
        ApiException answer;
        if (error instanceof ApiException api) {
            answer = api;
        } else if (error instanceof InvalidRequestException) {
            answer = new ApiException(400, "invalid_request", error.getMessage());
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
        return java.util.Optional.ofNullable(answer);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
