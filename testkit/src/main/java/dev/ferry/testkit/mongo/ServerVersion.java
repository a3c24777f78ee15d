package dev.ferry.testkit.mongo;

import java.util.List;

import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * The MongoDB version the emulator reports ({@code buildInfo}, the wire version of {@code hello}) and whose
 * features it offers: 5.0 by default; 6.0 and newer add pre- and post-images of change events.
 */
public record ServerVersion(int major, int minor) {

    public static final ServerVersion V5_0 = new ServerVersion(5, 0);
    public static final ServerVersion V7_0 = new ServerVersion(7, 0);

    /** {@code "7.0"}. */
    public static ServerVersion parse(String text) {
        String[] parts = text.split("\\.");
        try {
            return new ServerVersion(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a server version is MAJOR.MINOR, such as 7.0; got " + text, e);
        }
    }

    boolean atLeast(int otherMajor, int otherMinor) {
        return major > otherMajor || major == otherMajor && minor >= otherMinor;
    }

    /** Whether the version keeps pre- and post-images of change events (6.0 and newer). */
    boolean hasChangeStreamImages() {
        return atLeast(6, 0);
    }

    /** The wire version mongod of this version reports: 13 for 5.0, 17 for 6.0, 21 for 7.0. */
    int wireVersion() {
        return atLeast(7, 0) ? 21 : atLeast(6, 0) ? 17 : atLeast(5, 0) ? 13 : 9;
    }

    String text() {
        return major + "." + minor + ".0";
    }

    List<Integer> versionArray() {
        return List.of(major, minor, 0, 0);
    }

    /** The error mongod before 6.0 gives for an option it does not know. */
    MongoServerError unknownField(String field) {
        return new MongoServerError(40415, "Location40415", "BSON field '" + field + "' is an unknown field. "
            + "(this server is MongoDB " + major + "." + minor + "; pre- and post-images need 6.0)");
    }
}
