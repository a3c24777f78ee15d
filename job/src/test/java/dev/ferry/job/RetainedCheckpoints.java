package dev.ferry.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The checkpoints a job on a MiniCluster retained, for the tests that restore from them. */
final class RetainedCheckpoints {

    private RetainedCheckpoints() {
    }

    /** The newest complete checkpoint ({@code chk-N} with its metadata) below {@code root}. */
    static Path latest(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root, 2)) {
            return paths.filter(p -> p.getFileName().toString().startsWith("chk-"))
                .filter(p -> Files.exists(p.resolve("_metadata")))
                .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(4))))
                .orElseThrow(() -> new AssertionError("no complete checkpoint below " + root));
        }
    }
}
