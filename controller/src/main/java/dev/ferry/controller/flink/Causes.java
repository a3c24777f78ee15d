package dev.ferry.controller.flink;

/** What went wrong, from the text of a Java stack trace as Flink reports it. */
final class Causes {

    private static final String CAUSED_BY = "Caused by: ";

    private Causes() {
    }

    /**
     * The deepest "Caused by" of {@code trace} (what actually went wrong), else {@code otherwise}, shortened to
     * {@code max} characters; null when both are.
     */
    static String deepest(String trace, String otherwise, int max) {
        String cause = trace == null ? otherwise : trace.lines().map(String::strip)
            .filter(line -> line.startsWith(CAUSED_BY) && !line.startsWith(CAUSED_BY + "[CIRCULAR REFERENCE"))
            .reduce((a, b) -> b).map(line -> line.substring(CAUSED_BY.length()))
            .orElse(otherwise);
        return cause == null || cause.length() <= max ? cause : cause.substring(0, max) + "...";
    }

    /** The first line of a message. */
    static String firstLine(String text) {
        return text.lines().findFirst().orElse(text);
    }
}
