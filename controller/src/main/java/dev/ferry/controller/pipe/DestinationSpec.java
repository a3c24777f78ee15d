package dev.ferry.controller.pipe;

/** Where a pipe writes: a ClickHouse server's HTTP endpoint, a database on it, and optional credentials. */
public record DestinationSpec(String url, String database, Credentials credentials) {

    public DestinationSpec {
        credentials = credentials == null ? Credentials.NONE : credentials;
    }
}
