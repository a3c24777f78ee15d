package dev.ferry.controller.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.ferry.common.JobSpec;
import dev.ferry.common.Versions;
import dev.ferry.controller.connect.ClickHouseVersion;
import dev.ferry.controller.connect.MongoSourceCheck;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeRequest;
import dev.ferry.controller.pipe.PipeStatus;

/**
 * Writes the spec file a pipe's job reads: in the controller's data directory, readable by its owner only, since
 * it holds the connection secrets the job needs (they never travel in Flink's job arguments).
 */
public final class JobSpecs {

    private final Path directory;

    public JobSpecs(Path dataDirectory) {
        this.directory = dataDirectory.resolve("pipes");
    }

    public Path write(Pipe pipe, long startAtOperationTime, String tableSuffix) {
        PipeRequest request = pipe.request();
        PipeRequest.Credentials destinationCredentials = request.destination().credentials();
        JobSpec spec = new JobSpec(pipe.id(), request.name(), MongoSourceCheck.effectiveUri(request.source()),
            request.destination().url(), request.destination().database(),
            destinationCredentials == null || destinationCredentials.username() == null ? "" : destinationCredentials.username(),
            destinationCredentials == null || destinationCredentials.password() == null ? "" : destinationCredentials.password(),
            request.tableMappings().stream().map(m -> table(pipe, m)).toList(),
            request.settings().replicationMode(), request.settings().pullBatchSize(),
            request.settings().syncIntervalSeconds(), request.settings().snapshotParallelTables(),
            startAtOperationTime, tableSuffix, compressedResponses(pipe));
        Path file = directory.resolve(pipe.id()).resolve("spec.json");
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, spec.toJson(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the job spec of pipe " + pipe.id(), e);
        }
    }

    /** Compressed responses only from a server seen to answer them (none before its version is known). */
    private static boolean compressedResponses(Pipe pipe) {
        String version = pipe.status().clickhouseVersion();
        return version != null && ClickHouseVersion.parse(version).answersCompressedHttp();
    }

    private static JobSpec.Table table(Pipe pipe, PipeRequest.TableMapping mapping) {
        PipeStatus.TableSnapshot own = pipe.status().tables().snapshots().get(mapping.targetTable());
        if (own == null) {
            return new JobSpec.Table(mapping.sourceDatabaseName(), mapping.sourceCollection(), mapping.targetTable());
        }
        long startAt = own.startAtOperationTime();
        return new JobSpec.Table(mapping.sourceDatabaseName(), mapping.sourceCollection(), mapping.targetTable(),
            Versions.snapshotVersion(startAt >>> 32, startAt & 0xffffffffL), own.generation(),
            own.resync() == null ? "" : PipeStatus.Resync.LOADING.tableSuffix());
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
