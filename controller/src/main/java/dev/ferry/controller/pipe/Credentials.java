package dev.ferry.controller.pipe;

/** A user name and password for MongoDB or ClickHouse; absent when {@code username} is null or empty. */
public record Credentials(String username, String password) {

    public static final Credentials NONE = new Credentials(null, null);

    public boolean isPresent() {
        return username != null && !username.isEmpty();
    }
}
