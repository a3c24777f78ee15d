package dev.ferry.controller.flink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import dev.ferry.common.JobSpec;

/**
 * Where pipes' jobs keep what must outlive them, on storage the controller, the JobManager and every TaskManager
 * reach (a shared directory, S3, HDFS ...), through Flink's own file systems: checkpoints
 * ({@code checkpoints/<job id>/chk-<n>}), savepoints, and each pipe's job spec ({@code pipes/<pipe id>/spec.json}).
 * A spec holds passwords given as values: on a local file system it is readable by its owner only.
 */
public final class StateDirectory implements RetainedCheckpoints {

    private static final String CHECKPOINT_PREFIX = "chk-";

    private final URI root;

    public StateDirectory(URI root) {
        String text = root.toString();
        this.root = URI.create(text.endsWith("/") ? text : text + "/");
    }

    /** A directory given as a URI ({@code file:///shared/ferry}, {@code s3://bucket/ferry}) or a local path. */
    public static StateDirectory of(String location) {
        URI uri = URI.create(location);
        return new StateDirectory(uri.getScheme() == null ? Paths.get(location).toAbsolutePath().toUri() : uri);
    }

    public URI root() {
        return root;
    }

    public String checkpoints() {
        return root.resolve("checkpoints").toString();
    }

    public String savepoints() {
        return root.resolve("savepoints").toString();
    }

    private Path specPath(String pipeId) {
        return new Path(root.resolve("pipes/" + pipeId + "/spec.json"));
    }

    /** Writes the spec a pipe's job reads and returns its URI, which is what the job is given. */
    public String writeSpec(JobSpec spec) {
        Path path = specPath(spec.pipeId());
        try {
            FileSystem fs = path.getFileSystem();
            fs.mkdirs(path.getParent());
            if (isLocal()) {
                // created empty and owner-only before anything is written into it
                java.nio.file.Path file = Paths.get(path.toUri());
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, spec.toJson(), StandardCharsets.UTF_8);
            } else {
                try (OutputStream out = fs.create(path, FileSystem.WriteMode.OVERWRITE)) {
                    out.write(spec.toJson().getBytes(StandardCharsets.UTF_8));
                }
            }
            return path.toUri().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the job spec of pipe " + spec.pipeId() + " to " + path, e);
        }
    }

    public void deleteSpec(String pipeId) {
        Path path = specPath(pipeId);
        try {
            path.getFileSystem().delete(path.getParent(), true);
        } catch (IOException e) {
            // a leftover spec is harmless: the catalog no longer names it
        }
    }

    @Override
    public Optional<String> latest(String jobId) {
        try {
            return latestCheckpoint(jobId);
        } catch (UncheckedIOException e) {
            throw new FlinkException(FlinkException.Problem.UNREACHABLE, e.getMessage(), e);
        }
    }

    /** The newest complete checkpoint retained for a job, which the cluster itself may no longer know. */
    Optional<String> latestCheckpoint(String jobId) {
        Path directory = new Path(root.resolve("checkpoints/" + jobId));
        try {
            FileSystem fs = directory.getFileSystem();
            if (!fs.exists(directory)) {
                return Optional.empty();
            }
            FileStatus[] entries = fs.listStatus(directory);
            if (entries == null) {
                return Optional.empty();
            }
            for (FileStatus entry : Arrays.stream(entries)
                .filter(entry -> entry.getPath().getName().startsWith(CHECKPOINT_PREFIX))
                .sorted(Comparator.comparingLong(StateDirectory::checkpointNumber).reversed()).toList()) {
                if (fs.exists(new Path(entry.getPath(), "_metadata"))) {
                    return Optional.of(entry.getPath().toUri().toString());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints of job " + jobId + " in " + directory, e);
        }
    }

    private static long checkpointNumber(FileStatus checkpoint) {
        try {
            return Long.parseLong(checkpoint.getPath().getName().substring(CHECKPOINT_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private boolean isLocal() {
        return "file".equals(root.getScheme());
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
