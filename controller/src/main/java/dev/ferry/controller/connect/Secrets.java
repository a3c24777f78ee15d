package dev.ferry.controller.connect;

/** Keeps passwords out of messages that quote a connection string or URL. */
public final class Secrets {

    private Secrets() {
    }

    public static String redact(String message) {
        return message == null ? null : message.replaceAll("//[^@/\\s]*@", "//***@");
    }
}
