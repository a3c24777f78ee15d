package dev.ferry.common.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ClickHouse statement from the repository's {@code sql/} directory with {@code ${name}} placeholders. Every
 * placeholder must be given a value, and identifiers must be plain names, so that no value can change the shape of
 * the statement. Placeholders named {@code *_type} take a column type and {@code *_clause} a part of the statement
 * that code composes from checked parts ({@link TableLayout}); {@code *_literal} take any text, which becomes a
 * string literal, and {@code *_number} a whole number.
 */
public final class SqlTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String name;
    private final String text;

    private SqlTemplate(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** Loads {@code sql/<name>.sql}. */
    public static SqlTemplate load(String name) {
        String resource = "/sql/" + name + ".sql";
        try (InputStream in = SqlTemplate.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no SQL template " + resource);
            }
            return new SqlTemplate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read SQL template " + resource, e);
        }
    }

    /** True when {@code value} may stand for a database, table or type name in a template. */
    public static boolean isPlainName(String value) {
        return value != null && IDENTIFIER.matcher(value).matches();
    }

    /**
     * A table's quoted name, {@code `database`.`table`}, for a client that writes the statement around it (an
     * insert); both must be plain names.
     */
    public static String quotedName(String database, String table) {
        for (String name : new String[] {database, table}) {
            if (!isPlainName(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a valid database or table name: use "
                    + "letters, digits and underscores, not starting with a digit");
            }
        }
        return "`" + database + "`.`" + table + "`";
    }

    /** A column's quoted name, {@code `name`}; it must be a plain name. */
    public static String quotedIdentifier(String name) {
        if (!isPlainName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid column name: use letters, digits and "
                + "underscores, not starting with a digit");
        }
        return "`" + name + "`";
    }

    /** A ClickHouse string literal of {@code value}, quotes and backslashes escaped. */
    public static String stringLiteral(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The statement with every placeholder replaced and the template's comments removed. */
    public String render(Map<String, String> values) {
        StringBuilder statement = new StringBuilder();
        Matcher matcher = PLACEHOLDER.matcher(withoutComments());
        while (matcher.find()) {
            String key = matcher.group(1);
            String value = values.get(key);
            if (value == null) {
                throw new IllegalArgumentException("template " + name + " needs a value for ${" + key + "}");
            }
            if (key.endsWith("_literal")) {
                value = stringLiteral(value);
            } else if (key.endsWith("_number")) {
                if (!value.matches("-?[0-9]+")) {
                    throw new IllegalArgumentException("'" + value + "' is not a whole number for ${" + key + "}");
                }
            } else if (!isPlainName(value) && !key.endsWith("_type") && !key.endsWith("_clause")) {
                throw new IllegalArgumentException("'" + value + "' is not a valid name for ${" + key + "}: use "
                    + "letters, digits and underscores, not starting with a digit");
            }
            matcher.appendReplacement(statement, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(statement);
        return statement.toString().trim();
    }

    private String withoutComments() {
        return text.lines().filter(line -> !line.stripLeading().startsWith("--"))
            .reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
