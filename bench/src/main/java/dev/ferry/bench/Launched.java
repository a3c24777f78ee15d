package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A program started through {@code bin/ferry} as its own process, its output in a log file. */
final class Launched implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private Launched(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code bin/ferry} with {@code arguments} and waits until its output has a line containing
     * {@code ready}.
     */
    static Launched start(String name, Path ferryHome, List<String> arguments, Map<String, String> environment,
                          Path logDirectory, String ready) throws IOException, InterruptedException {
        Path log = logDirectory.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(ferryHome.resolve("bin/ferry").toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Launched launched = new Launched(name, builder.start(), log);
        launched.awaitLine(ready, Duration.ofMinutes(3));
        return launched;
    }

    private void awaitLine(String ready, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(ready)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited (" + process.exitValue() + "); see " + log);
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException(name + " did not print '" + ready + "' within " + timeout + "; see " + log);
    }

    long pid() {
        return process.pid();
    }

    ProcessStats stats() {
        return ProcessStats.of(process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
