package dev.ferry.common.encoding;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fields left out of a document, by dotted path ({@code payment.card}), as a MongoDB projection excludes them: a
 * path through an array applies to each document in it. Kept as a tree of UTF-8 keys so that the encoder compares
 * a key's bytes where it reads them, without making a string of every key.
 */
public final class FieldExclusions implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final FieldExclusions NONE = new FieldExclusions(List.of());

    private final List<String> paths;
    private final Node root;

    private FieldExclusions(List<String> paths) {
        this.paths = List.copyOf(paths);
        this.root = new Node(new byte[0]);
        for (String path : this.paths) {
            Node node = root;
            for (String key : path.split("\\.")) {
                node = node.childOrNew(key.getBytes(StandardCharsets.UTF_8));
            }
            node.excluded = true;
        }
    }

    public static FieldExclusions of(List<String> paths) {
        return paths == null || paths.isEmpty() ? NONE : new FieldExclusions(paths);
    }

    public List<String> paths() {
        return paths;
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    Node root() {
        return root;
    }

    /** One key of a path: excluded as a whole, or with some of its fields excluded. */
    static final class Node implements Serializable {

        private static final long serialVersionUID = 1L;
        private final byte[] key;
        private final List<Node> children = new ArrayList<>();
        private boolean excluded;

        private Node(byte[] key) {
            this.key = key;
        }

        private Node childOrNew(byte[] name) {
            for (Node child : children) {
                if (Arrays.equals(child.key, name)) {
                    return child;
                }
            }
            Node made = new Node(name);
            children.add(made);
            return made;
        }

        /** The child whose key is {@code bytes[from, to)}, or null. */
        Node child(byte[] bytes, int from, int to) {
            for (Node child : children) {
                if (Arrays.equals(child.key, 0, child.key.length, bytes, from, to)) {
                    return child;
                }
            }
            return null;
        }

        boolean excluded() {
            return excluded;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FieldExclusions exclusions && exclusions.paths.equals(paths);
    }

    @Override
    public int hashCode() {
        return paths.hashCode();
    }

    @Override
    public String toString() {
        return "FieldExclusions" + paths;
    }
}
