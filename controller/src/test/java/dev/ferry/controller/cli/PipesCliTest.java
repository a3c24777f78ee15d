package dev.ferry.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine;

/** The CLI's parsing, without a controller: every command explains itself, and bad input is a usage error. */
class PipesCliTest {

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine commandLine = PipesCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "get", "create", "tables", "syncs", "errors", "history", "pause", "resume",
        "resync", "wait", "delete", "verify"})
    void everyCommandAnswersHelpWithItsUsage(String command) {
        Run run = run(command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: ferry pipes " + command).contains("--url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "tables", "syncs", "errors", "history"})
    void commandsThatPrintTablesTakeOutputJson(String command) {
        assertThat(run(command, "--help").out()).contains("--output=FORMAT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--state=Sleeping", "--timeout=soon"})
    void aWaitWithAnUnknownStateOrTimeoutIsAUsageError(String option) {
        Run run = run("wait", "pipe", "--state=Running", option);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "5d"})
    void syncsSinceWhatIsNeitherATimeNorASpanIsAUsageError(String since) {
        Run run = run("syncs", "pipe", "--since", since);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nothing", "--bogus"})
    void anUnknownCommandOrOptionIsAUsageError(String argument) {
        assertThat(run(argument).exitCode()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"get", "tables"})
    void aCommandWithoutItsPipeIsAUsageError(String command) {
        Run run = run(command);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("PIPE");
    }
}
