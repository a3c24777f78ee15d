package dev.ferry.common.mongo;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The connection string a pipe connects with: the user's, with the pipe's read preference and credentials put in
 * (they override what the string says). Made where the connection is opened, so that a password given as a
 * reference is read there and never written down.
 */
public final class MongoUris {

    private MongoUris() {
    }

    public static String effective(String uri, String readPreference, String username, String password) {
        return withCredentials(withReadPreference(uri, readPreference), username, password);
    }

    private static String withReadPreference(String uri, String readPreference) {
        if (readPreference == null) {
            return uri;
        }
        String withoutOld = uri.replaceAll("([?&])readPreference=[^&]*&?", "$1").replaceAll("[?&]$", "");
        int slashAfterHosts = withoutOld.indexOf('/', withoutOld.indexOf("://") + 3);
        String base = slashAfterHosts < 0 ? withoutOld + "/" : withoutOld;
        return base + (base.contains("?") ? "&" : "?") + "readPreference=" + encode(readPreference);
    }

    private static String withCredentials(String uri, String username, String password) {
        if (username == null || username.isEmpty()) {
            return uri;
        }
        int schemeEnd = uri.indexOf("://") + 3;
        String rest = uri.substring(schemeEnd);
        int at = rest.indexOf('@');
        int slash = rest.indexOf('/');
        if (at >= 0 && (slash < 0 || at < slash)) {
            rest = rest.substring(at + 1);
        }
        return uri.substring(0, schemeEnd) + encode(username) + ":" + encode(password) + "@" + rest;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
