package dev.ferry.controller.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoints Flink retained for a job in the embedded cluster's checkpoint directory
 * ({@code <dir>/<job id>/chk-<n>/_metadata}); the newest complete one is where a lost job restarts from.
 */
public final class RetainedCheckpoints {

    private static final String PREFIX = "chk-";

    private final Path directory;

    public RetainedCheckpoints(Path checkpointDirectory) {
        this.directory = checkpointDirectory;
    }

    public Optional<Path> latest(String jobId) {
        Path jobDirectory = directory.resolve(jobId);
        if (!Files.isDirectory(jobDirectory)) {
            return Optional.empty();
        }
        try (Stream<Path> checkpoints = Files.list(jobDirectory)) {
            return checkpoints
                .filter(path -> path.getFileName().toString().startsWith(PREFIX))
                .filter(path -> Files.isRegularFile(path.resolve("_metadata")))
                .max(Comparator.comparingLong(RetainedCheckpoints::number));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints of job " + jobId, e);
        }
    }

    private static long number(Path checkpoint) {
        try {
            return Long.parseLong(checkpoint.getFileName().toString().substring(PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
