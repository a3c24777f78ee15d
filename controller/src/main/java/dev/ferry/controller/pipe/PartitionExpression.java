package dev.ferry.controller.pipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A partition expression as a user writes it ({@code toYYYYMM(created)}, {@code (region, toYear(created))}): the
 * column names it refers to, found by reading its tokens. A name followed by {@code (} is a function; the others are
 * columns. Only names, numbers, string literals, brackets, commas, operators and spaces are taken, so that the
 * expression, which goes into the table's DDL as it is, can be nothing but an expression.
 */
final class PartitionExpression {

    private static final Set<String> WORDS = Set.of("and", "or", "not", "null", "true", "false", "interval", "is",
        "in", "like", "between", "case", "when", "then", "else", "end", "second", "minute", "hour", "day", "week",
        "month", "quarter", "year");
    private static final String OPERATORS = "()[],+-*/%<>=!.|?:";

    private PartitionExpression() {
    }

    /**
     * The columns {@code expression} names (in order of first mention).
     *
     * @throws IllegalArgumentException for a character or construct an expression cannot have
     */
    static List<String> columnsOf(String expression) {
        List<String> columns = new ArrayList<>();
        String text = expression == null ? "" : expression;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                i = endOfString(text, i);
            } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-'
                || c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
                throw new IllegalArgumentException("comments are not allowed in a partition expression");
            } else if (Character.isDigit(c)) {
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.')) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == '`') {
                int start = i;
                boolean quoted = c == '`';
                i++;
                while (i < text.length() && (quoted ? text.charAt(i) != '`'
                    : Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
                String name = quoted ? text.substring(start + 1, Math.min(i, text.length())) : text.substring(start, i);
                if (quoted) {
                    if (i >= text.length()) {
                        throw new IllegalArgumentException("a name quoted with ` is not closed");
                    }
                    i++;
                }
                int next = i;
                while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
                    next++;
                }
                boolean function = next < text.length() && text.charAt(next) == '(';
                if (!function && (quoted || !WORDS.contains(name.toLowerCase(Locale.ROOT))) && !columns.contains(name)) {
                    columns.add(name);
                }
            } else if (OPERATORS.indexOf(c) >= 0) {
                i++;
            } else {
                throw new IllegalArgumentException("'" + c + "' cannot be part of a partition expression");
            }
        }
        return columns;
    }

    private static int endOfString(String text, int start) {
        for (int i = start + 1; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.charAt(i) == '\'') {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("a string literal is not closed");
    }
}
