package dev.ferry.controller.pipe;

/**
 * A well-formed request the pipe cannot take as it is: a setting fixed at creation, a column type the server
 * lacks. {@code code} names the rule; the message says what to do instead.
 */
public final class ChangeRefusedException extends RuntimeException {

    private final String code;

    public ChangeRefusedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
