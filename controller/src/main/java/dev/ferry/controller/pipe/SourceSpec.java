package dev.ferry.controller.pipe;

/** Where a pipe reads: a MongoDB replica set or sharded cluster, with optional read preference and credentials. */
public record SourceSpec(String uri, String readPreference, Credentials credentials) {

    public SourceSpec {
        credentials = credentials == null ? Credentials.NONE : credentials;
    }
}
