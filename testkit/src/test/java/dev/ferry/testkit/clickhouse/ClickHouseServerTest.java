package dev.ferry.testkit.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The server process: started on free ports, stopped on close, and never outliving the JVM that started it. */
class ClickHouseServerTest {

    @Test
    void closeStopsTheServerProcess() {
        ClickHouseServer server = ClickHouseServer.start();
        long pid = server.pid();
        assertThat(server.http().ping()).isTrue();

        server.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
        assertThat(server.http().ping()).isFalse();
    }

    @Test
    void twoServersRunSideBySideOnTheirOwnPorts() {
        try (ClickHouseServer a = ClickHouseServer.start(); ClickHouseServer b = ClickHouseServer.start()) {
            assertThat(a.httpPort()).isNotEqualTo(b.httpPort());
            assertThat(a.http().value("SELECT 1")).isEqualTo(b.http().value("SELECT 1"));
        }
    }

    @Test
    void aFixedPortThatIsTakenIsRefusedRatherThanMistakenForThisServer() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> ClickHouseServer.start(ClickHouseServer.binary(), taken.getLocalPort()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is in use");
        }
    }

    @Test
    void aMissingBinaryFailsAtOnceNamingTheInstallCommand() {
        assertThatThrownBy(() -> ClickHouseServer.start(Path.of("/nonexistent/clickhouse-server")))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("apt-get install -y clickhouse-server");
    }

    @Test
    void theServerStopsWhenTheJvmThatStartedItIsKilled() throws Exception {
        Process owner = new ProcessBuilder(List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp", System.getProperty("java.class.path"),
            ServerOwner.class.getName()))
            .redirectErrorStream(true)
            .start();
        BufferedReader output = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
        long serverPid = -1;
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.startsWith("server-pid=")) {
                serverPid = Long.parseLong(line.substring("server-pid=".length()));
                break;
            }
        }
        assertThat(serverPid).as("the owner JVM reports its server's pid").isPositive();
        ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow();
        assertThat(server.isAlive()).isTrue();

        owner.destroyForcibly().waitFor();

        server.onExit().get(Duration.ofSeconds(30).toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(server.isAlive()).isFalse();
    }

    /** A JVM that starts a server and then waits to be killed, without ever closing it. */
    public static final class ServerOwner {
        public static void main(String[] args) throws InterruptedException {
            ClickHouseServer server = ClickHouseServer.start();
            System.out.println("server-pid=" + server.pid());
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(5).toMillis());
        }
    }
}
