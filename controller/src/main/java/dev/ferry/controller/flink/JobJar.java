package dev.ferry.controller.flink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The job jar the controller uploads, under a name that carries a checksum of its contents
 * ({@code ferry-job-<sha-256, 16 digits>.jar}): a cluster that has a jar of that name has this very jar, and one of
 * another ferry version is never taken for it.
 */
public final class JobJar {

    private final Path jar;
    private final String name;
    private Path named;

    public JobJar(Path jar) {
        this.jar = jar;
        this.name = "ferry-job-" + checksum(jar).substring(0, 16) + ".jar";
    }

    public String name() {
        return name;
    }

    /** The jar under its name, to upload (a copy in a temporary directory, made once). */
    public synchronized Path named() {
        if (named == null) {
            try {
                Path directory = Files.createTempDirectory("ferry-job-jar-");
                named = Files.copy(jar, directory.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                named.toFile().deleteOnExit();
                directory.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the job jar " + jar + ": " + e.getMessage(), e);
            }
        }
        return named;
    }

    private static String checksum(Path jar) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(jar),
            MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the job jar " + jar + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
