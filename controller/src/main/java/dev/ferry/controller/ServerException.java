package dev.ferry.controller;

/**
 * A server a pipe depends on (MongoDB, ClickHouse, Flink) did not do what was asked. {@link #canHeal()} says
 * whether trying again later can succeed (the server did not answer, or answered that it is busy) or not (it
 * refused the credentials, or the request itself); the reconciler retries the first kind with a growing backoff
 * and makes the pipe Failed for the second.
 */
public abstract class ServerException extends RuntimeException {

    protected ServerException(String message, Throwable cause) {
        super(message, cause);
    }

    public abstract boolean canHeal();

    /** A stable name of what went wrong, such as {@code clickhouse_unreachable}. */
    public abstract String code();
}
