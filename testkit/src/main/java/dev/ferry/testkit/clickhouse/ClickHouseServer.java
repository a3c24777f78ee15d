package dev.ferry.testkit.clickhouse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real {@code clickhouse-server} process of its own, on free loopback ports with a temporary data directory.
 *
 * <p>The server runs under a small shell watchdog that stops it as soon as the JVM that started it is gone, so a
 * test JVM that is killed leaves no server behind. {@link #close()} stops it and deletes its directory.
 */
public final class ClickHouseServer implements AutoCloseable {

    /** Where Debian's clickhouse-server package puts the binary; FERRY_CLICKHOUSE_SERVER overrides it. */
    public static final Path DEFAULT_BINARY = Path.of("/usr/sbin/clickhouse-server");
    public static final String INSTALL_HINT = "apt-get install -y clickhouse-server";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /**
     * ClickHouse waits for idle keep-alive HTTP connections before it exits on SIGTERM (about ten seconds); a test
     * server's data is thrown away anyway, so after this grace period it is killed.
     */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    /**
     * Starts the server in the background, prints its pid, and while the JVM ({@code $3}) lives waits for it; when
     * the JVM dies first, it stops the server (TERM, then KILL).
     */
    private static final String WATCHDOG = """
        "$0" --config-file="$1" > "$2/stdout.log" 2>&1 &
        server=$!
        echo "$server"
        while kill -0 "$3" 2>/dev/null; do
          if ! kill -0 "$server" 2>/dev/null; then wait "$server"; exit $?; fi
          sleep 1
        done
        kill -TERM "$server" 2>/dev/null
        for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$server" 2>/dev/null || exit 0; sleep 1; done
        kill -KILL "$server" 2>/dev/null
        """;

    private final Path directory;
    private final int httpPort;
    private final Process watchdog;
    private final ProcessHandle server;
    private final ClickHouseHttp http;
    private final java.util.Map<String, ServerConfig.User> users = new java.util.TreeMap<>();

    private ClickHouseServer(Path directory, int httpPort, Process watchdog, ProcessHandle server) {
        this.directory = directory;
        this.httpPort = httpPort;
        this.watchdog = watchdog;
        this.server = server;
        this.http = new ClickHouseHttp(url());
    }

    /** Starts a server with the binary at FERRY_CLICKHOUSE_SERVER, or Debian's, and waits until it answers. */
    public static ClickHouseServer start() {
        return start(binary(), 0);
    }

    /** The binary tests use: FERRY_CLICKHOUSE_SERVER, or Debian's. */
    public static Path binary() {
        String override = System.getenv("FERRY_CLICKHOUSE_SERVER");
        return override == null || override.isBlank() ? DEFAULT_BINARY : Path.of(override);
    }

    public static ClickHouseServer start(Path binary) {
        return start(binary, 0);
    }

    /** A server whose HTTP interface listens on {@code httpPort} (0 for a free port). */
    public static ClickHouseServer start(Path binary, int httpPort) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("No ClickHouse server at " + binary + ". Install it with: " + INSTALL_HINT
                + " (or point FERRY_CLICKHOUSE_SERVER at a clickhouse-server binary)");
        }
        try {
            Path directory = Files.createTempDirectory("ferry-clickhouse-");
            int[] ports = freePorts(3);
            if (httpPort != 0) {
                requireFree(httpPort);
                ports[0] = httpPort;
            }
            ServerConfig.write(directory, ports[0], ports[1], ports[2]);
            Process watchdog = new ProcessBuilder("bash", "-c", WATCHDOG, binary.toString(),
                directory.resolve("config.xml").toString(), directory.toString(),
                Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true)
                .start();
            long pid = Long.parseLong(new BufferedReader(new InputStreamReader(watchdog.getInputStream(),
                StandardCharsets.UTF_8)).readLine().trim());
            ProcessHandle server = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
                "clickhouse-server exited at once; see " + directory.resolve("stdout.log")));
            ClickHouseServer started = new ClickHouseServer(directory, ports[0], watchdog, server);
            started.awaitReady();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start clickhouse-server", e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                String log = logTail();
                close();
                throw new IllegalStateException("clickhouse-server stopped during start-up:\n" + log);
            }
            if (http.ping()) {
                return;
            }
            sleep(100);
        }
        String log = logTail();
        close();
        throw new IllegalStateException("clickhouse-server did not answer within " + STARTUP_TIMEOUT + ":\n" + log);
    }

    /**
     * Adds a user, or changes one: its password, and whether it may only read (ClickHouse's {@code readonly}
     * profile: no DDL, no inserts). Returns once the server applies it.
     */
    public synchronized void putUser(String name, String password, boolean readOnly) {
        users.put(name, new ServerConfig.User(password, readOnly));
        try {
            ServerConfig.writeUsers(directory, users);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the users of " + directory, e);
        }
        ClickHouseHttp asUser = http.as(name, password);
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        String wanted = readOnly ? "1" : "0";
        while (System.nanoTime() < deadline) {
            try {
                if (asUser.value("SELECT value FROM system.settings WHERE name = 'readonly'").equals(wanted)) {
                    return;
                }
            } catch (ClickHouseHttp.ClickHouseException e) {
                // not read yet: the user is unknown
            }
            sleep(200);
        }
        throw new IllegalStateException("clickhouse-server did not apply user " + name + " within " + STARTUP_TIMEOUT);
    }

    /** The HTTP endpoint, as ferry's destination {@code url} takes it. */
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** A client for statements and queries over HTTP. */
    public ClickHouseHttp http() {
        return http;
    }

    /** Creates a database with a fresh name, so that each test has tables of its own. */
    public String createDatabase(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        http.execute("CREATE DATABASE " + name);
        return name;
    }

    public boolean isRunning() {
        return server.isAlive();
    }

    public long pid() {
        return server.pid();
    }

    @Override
    public void close() {
        server.destroy();
        try {
            server.onExit().get(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            server.destroyForcibly();
            server.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        }
        watchdog.destroy();
        deleteRecursively(directory);
    }

    private String logTail() {
        StringBuilder tail = new StringBuilder();
        for (String name : List.of("stdout.log", "log/error.log")) {
            Path file = directory.resolve(name);
            try {
                if (Files.exists(file)) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(l -> tail.append(l).append('\n'));
                }
            } catch (IOException e) {
                tail.append("(could not read ").append(file).append(")\n");
            }
        }
        return tail.toString();
    }

    /** A fixed port must be free: another server answering there would pass for this one. */
    private static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use; stop what listens there or "
                + "choose another port");
        }
    }

    private static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        int[] ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
        return ports;
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for clickhouse-server", e);
        }
    }
}
