package dev.ferry.controller.pipe;

import dev.ferry.common.Secret;

/**
 * A user name and password for MongoDB or ClickHouse; absent when {@code username} is null or empty. The password
 * is a {@link Secret}: the value, or a reference to an environment variable or a file where it is resolved.
 */
public record Credentials(String username, Secret password) {

    public static final Credentials NONE = new Credentials(null, Secret.NONE);

    public Credentials {
        password = password == null ? Secret.NONE : password;
    }

    public boolean isPresent() {
        return username != null && !username.isEmpty();
    }
}
