package dev.ferry.controller.api;

/**
 * A request ferry refuses, with the HTTP status, a stable code and a message that says what is wrong and how to
 * fix it. Rendered as {@code {"error": {"code", "message"}}}.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    public static ApiException unprocessable(String code, String message) {
        return new ApiException(422, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
