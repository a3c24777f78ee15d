package dev.ferry.controller;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code bin/ferry controller} as its own process, as a user runs it: started, stopped, or killed with SIGKILL. */
final class ControllerProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private ControllerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a controller on {@code port} with its data in {@code dataDirectory}, and these options besides. */
    static ControllerProcess start(int port, Path dataDirectory, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(FerryCli.LAUNCHER.toString(), "controller", "--port",
            Integer.toString(port), "--data-dir", dataDirectory.toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.contains("listening on")) {
                // keep draining the output so that the process never blocks on a full pipe
                Thread drain = new Thread(() -> output.lines().forEach(ignored -> { }));
                drain.setDaemon(true);
                drain.start();
                return new ControllerProcess(process, port);
            }
        }
        throw new IllegalStateException("the controller exited before it listened");
    }

    RestApi api() {
        return new RestApi("http://127.0.0.1:" + port);
    }

    /** SIGKILL: the controller has no chance to finish anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as a user stops it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
