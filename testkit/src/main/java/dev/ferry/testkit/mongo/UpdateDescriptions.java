package dev.ferry.testkit.mongo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;

/**
 * Builds an update event's {@code updateDescription} from the update operators and the document after the update:
 * {@code updatedFields} maps each modified path to its new value, {@code removedFields} lists the paths unset.
 * Paths with positional operators ({@code a.$.b}, {@code a.$[].b}) are reported at the enclosing array, whose
 * whole new value is given.
 */
final class UpdateDescriptions {

    private UpdateDescriptions() {
    }

    /** True when {@code update} is a replacement document rather than a set of update operators. */
    static boolean isReplacement(Document update) {
        return update.keySet().stream().noneMatch(key -> key.startsWith("$"));
    }

    static Document describe(Document update, Document postImage) {
        Document updatedFields = new Document();
        List<String> removedFields = new ArrayList<>();
        for (Map.Entry<String, Object> operator : update.entrySet()) {
            Document spec = (Document) operator.getValue();
            switch (operator.getKey()) {
                case "$setOnInsert" -> {
                    // applies to inserts only
                }
                case "$unset" -> spec.keySet().forEach(path -> removedFields.add(withoutPositional(path)));
                case "$rename" -> spec.forEach((from, to) -> {
                    removedFields.add(from);
                    record(updatedFields, removedFields, (String) to, postImage);
                });
                default -> spec.keySet().forEach(path -> record(updatedFields, removedFields, path, postImage));
            }
        }
        return new Document("updatedFields", updatedFields)
            .append("removedFields", removedFields)
            .append("truncatedArrays", List.of());
    }

    private static void record(Document updatedFields, List<String> removedFields, String path, Document postImage) {
        String field = withoutPositional(path);
        Object value = Utils.getSubdocumentValue(postImage, field);
        if (value instanceof Missing) {
            removedFields.add(field);
        } else {
            updatedFields.put(field, value);
        }
    }

    private static String withoutPositional(String path) {
        List<String> kept = new ArrayList<>();
        for (String segment : path.split("\\.")) {
            if (segment.startsWith("$")) {
                break;
            }
            kept.add(segment);
        }
        return String.join(".", kept);
    }
}
