package dev.ferry.common;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A password as a pipe is given it: the value itself, or a reference that whoever connects resolves where it
 * runs: an environment variable ({@code fromEnv}) or a file ({@code fromFile}), for clusters where secrets are
 * injected into the pods. Exactly one of the three is set. {@link #toString()} never shows a value.
 */
public record Secret(String value, String fromEnv, String fromFile) implements Serializable {

    public static final Secret NONE = new Secret("", null, null);

    public static Secret of(String value) {
        return new Secret(value == null ? "" : value, null, null);
    }

    public static Secret fromEnv(String name) {
        return new Secret(null, name, null);
    }

    public static Secret fromFile(String path) {
        return new Secret(null, null, path);
    }

    /** A reference, not a value: nothing secret is in it. */
    public boolean isReference() {
        return value == null;
    }

    /** The password, read from where the reference points when it is one. */
    public String resolve() {
        if (value != null) {
            return value;
        }
        if (fromEnv != null) {
            String resolved = System.getenv(fromEnv);
            if (resolved == null) {
                throw new IllegalStateException("the password is to come from the environment variable " + fromEnv
                    + ", which is not set here");
            }
            return resolved;
        }
        try {
            return Files.readString(Path.of(fromFile), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the password is to come from the file " + fromFile + ", which cannot be "
                + "read here: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return value != null ? "******" : fromEnv != null ? "env:" + fromEnv : "file:" + fromFile;
    }
}
