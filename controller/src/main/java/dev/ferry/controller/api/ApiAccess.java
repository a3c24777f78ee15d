package dev.ferry.controller.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import dev.ferry.controller.ControllerConfigurationException;

/**
 * Who may call the API: the address it listens on and the bearer token every request but the health probes must
 * carry. Listening beyond loopback without a token is refused, so the API is never exposed unprotected by mistake.
 */
public final class ApiAccess {

    private static final String BEARER = "Bearer ";

    private final String bindAddress;
    private final byte[] tokenDigest;

    private ApiAccess(String bindAddress, byte[] tokenDigest) {
        this.bindAddress = bindAddress;
        this.tokenDigest = tokenDigest;
    }

    /** Loopback only, no token: the default, and what tests use. */
    public static ApiAccess loopback() {
        return new ApiAccess("127.0.0.1", null);
    }

    /**
     * Access on {@code bindAddress} with {@code token} when given (blank counts as none).
     *
     * @throws ControllerConfigurationException when the address is not loopback and there is no token, or the
     *                                          address is not one of this host's
     */
    public static ApiAccess of(String bindAddress, Optional<String> token) {
        Optional<String> given = token.map(String::strip).filter(text -> !text.isEmpty());
        if (given.isEmpty() && !isLoopback(bindAddress)) {
            throw new ControllerConfigurationException("--bind " + bindAddress + " exposes the API beyond this "
                + "machine: give a token with --token-file FILE or FERRY_API_TOKEN (clients then send "
                + "'Authorization: Bearer <token>'), or bind to 127.0.0.1");
        }
        return new ApiAccess(bindAddress, given.map(ApiAccess::digest).orElse(null));
    }

    public String bindAddress() {
        return bindAddress;
    }

    public boolean requiresToken() {
        return tokenDigest != null;
    }

    /**
     * Whether a request with this {@code Authorization} header may pass. Digests of equal length are compared in
     * constant time, so the time taken says nothing about how much of a guess was right.
     */
    public boolean admits(String authorization) {
        if (tokenDigest == null) {
            return true;
        }
        if (authorization == null || !authorization.startsWith(BEARER)) {
            return false;
        }
        return MessageDigest.isEqual(tokenDigest, digest(authorization.substring(BEARER.length()).strip()));
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ControllerConfigurationException("--bind " + address + ": not an address of this host ("
                + e.getMessage() + "); use an IP address such as 127.0.0.1 or 0.0.0.0");
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
