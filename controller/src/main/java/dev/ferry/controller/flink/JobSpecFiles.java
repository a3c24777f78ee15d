package dev.ferry.controller.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.ferry.common.JobSpec;

/**
 * Where the embedded cluster's jobs read their specs: one file per pipe in the controller's data directory,
 * readable by its owner only, since it holds the connection secrets the job needs (they never travel in Flink's
 * job arguments).
 */
public final class JobSpecFiles {

    private final Path directory;

    public JobSpecFiles(Path dataDirectory) {
        this.directory = dataDirectory.resolve("pipes");
    }

    public Path write(JobSpec spec) {
        Path file = directory.resolve(spec.pipeId()).resolve("spec.json");
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, spec.toJson(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the job spec of pipe " + spec.pipeId(), e);
        }
    }

    public void delete(String pipeId) {
        try {
            Files.deleteIfExists(directory.resolve(pipeId).resolve("spec.json"));
            Files.deleteIfExists(directory.resolve(pipeId));
        } catch (IOException e) {
            // a leftover spec directory is harmless; the catalog no longer names it
        }
    }
}
