package dev.ferry.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code bin/ferry} run as a user runs it, against a controller: its exit status and everything it printed. */
final class FerryCli {

    static final Path LAUNCHER = TestControllers.HOME.resolve("bin/ferry");

    record Run(int exitCode, String output) {
    }

    private FerryCli() {
    }

    static Run run(String controllerUrl, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--url", controllerUrl));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
