package dev.ferry.controller.flink.standalone;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A real standalone Flink session cluster on this machine, from the Flink jars of ferry's build (no Flink
 * download): a JobManager and TaskManagers, each a JVM of its own started the way Flink's scripts start them, with
 * flink-conf/'s settings and checkpoints and savepoints in a state directory. Every process is watched: it stops
 * when the JVM that started the cluster dies, even by {@code kill -9}. For {@code bin/ferry flink-cluster}, and for
 * the tests of ferry on a session cluster, which kill and restart its processes.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {

    /**
     * How to start it: the REST port (0 for a free one), how many TaskManagers with how many slots each, the state
     * directory, flink-conf/, the directory of Flink's jars, a working directory (configuration, logs), and
     * environment variables for its processes (secrets injected into them, for one).
     */
    public record Options(int restPort, int taskManagers, int slots, String stateDirectory, Path flinkConf,
                          Path flinkLib, Path workDirectory, Map<String, String> environment) {
    }

    /** Flink (and RocksDB) open JDK internals reflectively on Java 17. */
    private static final List<String> JAVA_OPENS = Arrays.stream(new String[] {"java.base/java.lang",
        "java.base/java.util", "java.base/java.util.concurrent", "java.base/java.lang.reflect", "java.base/java.io",
        "java.base/java.nio", "java.base/sun.nio.ch", "java.base/java.net", "java.base/java.text",
        "java.base/java.time", "java.sql/java.sql"}).map(module -> "--add-opens=" + module + "=ALL-UNNAMED").toList();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** Keeps a child running only while the JVM that started it lives; prints the child's pid first. */
    private static final String WATCHDOG = """
        parent="$1"; log="$2"; shift 2
        "$@" > "$log" 2>&1 &
        child=$!
        echo "$child"
        while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
        kill "$child" 2>/dev/null
        sleep 5
        kill -9 "$child" 2>/dev/null
        """;

    private final Options options;
    private final Path confDirectory;
    private final Configuration configuration;
    private final int restPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ProcessHandle jobManager;
    private final List<TaskManager> taskManagers = new ArrayList<>();
    private int started;

    /**
     * A TaskManager process and its RPC port, by which the cluster's REST API names it: its resource id begins with
     * {@code 127.0.0.1:<port>-}.
     */
    public record TaskManager(ProcessHandle process, int rpcPort) {

        public boolean isNamed(String resourceId) {
            return resourceId.startsWith("127.0.0.1:" + rpcPort + "-");
        }
    }

    private StandaloneFlinkCluster(Options options, Path confDirectory, Configuration configuration, int restPort) {
        this.options = options;
        this.confDirectory = confDirectory;
        this.configuration = configuration;
        this.restPort = restPort;
    }

    /** Starts the JobManager and the TaskManagers, and returns once every TaskManager has registered. */
    public static StandaloneFlinkCluster start(Options options) throws IOException {
        Path work = options.workDirectory();
        Path conf = work.resolve("conf");
        Files.createDirectories(conf);
        Files.createDirectories(work.resolve("log"));
        int restPort = options.restPort() == 0 ? freePort() : options.restPort();
        Map<String, String> settings = FlinkConfFile.read(options.flinkConf().resolve("config.yaml"));
        settings.putAll(overrides(options, work, restPort));
        FlinkConfFile.write(conf.resolve("config.yaml"), settings);
        Files.writeString(conf.resolve("log4j.properties"), LOG4J, StandardCharsets.UTF_8);
        Configuration configuration = new Configuration();
        settings.forEach(configuration::setString);
        StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(options, conf, configuration, restPort);
        try {
            cluster.startJobManager();
            for (int i = 0; i < options.taskManagers(); i++) {
                cluster.startTaskManager();
            }
            cluster.awaitTaskManagers(options.taskManagers());
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Loopback only, fixed ports, fast detection of a lost TaskManager, the state directory for checkpoints. */
    private static Map<String, String> overrides(Options options, Path work, int restPort) {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("jobmanager.rpc.address", "127.0.0.1");
        overrides.put("jobmanager.rpc.port", Integer.toString(freePort()));
        overrides.put("jobmanager.bind-host", "127.0.0.1");
        overrides.put("taskmanager.bind-host", "127.0.0.1");
        overrides.put("taskmanager.host", "127.0.0.1");
        overrides.put("rest.port", Integer.toString(restPort));
        overrides.put("rest.address", "127.0.0.1");
        overrides.put("rest.bind-address", "127.0.0.1");
        overrides.put("taskmanager.numberOfTaskSlots", Integer.toString(options.slots()));
        overrides.put("jobmanager.memory.process.size", "1024m");
        overrides.put("taskmanager.memory.process.size", "1280m");
        overrides.put("heartbeat.interval", "2000");
        overrides.put("heartbeat.timeout", "10000");
        overrides.put("io.tmp.dirs", work.resolve("tmp").toString());
        String state = options.stateDirectory().endsWith("/") ? options.stateDirectory()
            : options.stateDirectory() + "/";
        overrides.put("execution.checkpointing.dir", state + "checkpoints");
        overrides.put("execution.checkpointing.savepoint-dir", state + "savepoints");
        return overrides;
    }

    private static final String LOG4J = """
        rootLogger.level = INFO
        rootLogger.appenderRef.file.ref = MainAppender
        appender.main.name = MainAppender
        appender.main.type = File
        appender.main.fileName = ${sys:log.file}
        appender.main.layout.type = PatternLayout
        appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
        logger.pekko.name = org.apache.pekko
        logger.pekko.level = WARN
        """;

    private void startJobManager() throws IOException {
        JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfigWithNewOptionToInterpretLegacyHeap(
            configuration, JobManagerOptions.JVM_HEAP_MEMORY);
        List<String> command = javaCommand(JobManagerProcessUtils.generateJvmParametersStr(spec, configuration),
            "jobmanager");
        command.add("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        command.addAll(List.of("--configDir", confDirectory.toString()));
        command.addAll(split(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
        jobManager = launch(command, "jobmanager");
        awaitRest();
    }

    /** Starts one more TaskManager (a replacement for one that was lost, say). */
    public synchronized TaskManager startTaskManager() throws IOException {
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(
            TaskExecutorProcessUtils.getConfigurationMapLegacyTaskManagerHeapSizeToConfigOption(configuration,
                TaskManagerOptions.TOTAL_PROCESS_MEMORY));
        String name = "taskmanager-" + (++started);
        List<String> command = javaCommand(ProcessMemoryUtils.generateJvmParametersStr(spec), name);
        command.add("org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
        command.addAll(List.of("--configDir", confDirectory.toString()));
        command.addAll(split(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
        int rpcPort = freePort();
        command.addAll(List.of("-D", "taskmanager.rpc.port=" + rpcPort));
        TaskManager taskManager = new TaskManager(launch(command, name), rpcPort);
        taskManagers.add(taskManager);
        return taskManager;
    }

    private List<String> javaCommand(String memoryParameters, String name) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JAVA_OPENS);
        command.addAll(split(memoryParameters));
        command.add("-Dlog.file=" + options.workDirectory().resolve("log").resolve(name + ".log"));
        command.add("-Dlog4j.configurationFile=" + confDirectory.resolve("log4j.properties").toUri());
        command.addAll(List.of("-cp", options.flinkLib().toAbsolutePath() + "/*"));
        return command;
    }

    private static List<String> split(String parameters) {
        return Arrays.stream(parameters.trim().split("\\s+")).filter(part -> !part.isEmpty()).toList();
    }

    private ProcessHandle launch(List<String> command, String name) throws IOException {
        List<String> watched = new ArrayList<>(List.of("bash", "-c", WATCHDOG, "watchdog",
            Long.toString(ProcessHandle.current().pid()),
            options.workDirectory().resolve("log").resolve(name + ".out").toString()));
        watched.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(watched).redirectErrorStream(true);
        builder.environment().putAll(options.environment());
        Process watchdog = builder.start();
        String pid = new BufferedReader(new InputStreamReader(watchdog.getInputStream(),
            StandardCharsets.US_ASCII)).readLine();
        return ProcessHandle.of(Long.parseLong(pid.trim())).orElseThrow(() -> new IllegalStateException(name
            + " exited at once; see " + options.workDirectory().resolve("log")));
    }

    private void awaitRest() {
        awaitOverview(body -> true, "the JobManager's REST API");
    }

    private void awaitTaskManagers(int count) {
        awaitOverview(body -> body.contains("\"taskmanagers\":" + count + ","), count + " TaskManagers");
    }

    /** Waits until {@code /overview} answers as {@code ready} says, or fails after a while. */
    private void awaitOverview(Predicate<String> ready, String what) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!jobManager.isAlive()) {
                throw new IllegalStateException("the JobManager stopped; see " + options.workDirectory()
                    .resolve("log"));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(restUrl() + "overview"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && ready.test(response.body().replace(" ", ""))) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
            sleep(200);
        }
        throw new IllegalStateException(what + " did not come up within " + START_TIMEOUT + "; see "
            + options.workDirectory().resolve("log"));
    }

    /** The REST API's base URL, where the dashboard is too. */
    public URL restUrl() {
        try {
            return new URL("http://127.0.0.1:" + restPort + "/");
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path logDirectory() {
        return options.workDirectory().resolve("log");
    }

    public synchronized ProcessHandle jobManager() {
        return jobManager;
    }

    /** The TaskManagers started and still alive. */
    public synchronized List<TaskManager> taskManagers() {
        return taskManagers.stream().filter(taskManager -> taskManager.process().isAlive()).toList();
    }

    /** Kills a TaskManager as a lost machine would: {@code kill -9}. */
    public synchronized void killTaskManager(TaskManager taskManager) {
        kill(taskManager.process());
        taskManagers.remove(taskManager);
    }

    /**
     * Restarts the JobManager without high availability: it is killed ({@code kill -9}) and started again on the
     * same ports, knowing no job and no jar; the TaskManagers register with it again.
     */
    public synchronized void restartJobManager() throws IOException {
        kill(jobManager);
        startJobManager();
        awaitTaskManagers(taskManagers().size());
    }

    private static void kill(ProcessHandle process) {
        process.destroyForcibly();
        process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Override
    public synchronized void close() {
        List<ProcessHandle> all = new ArrayList<>(taskManagers.stream().map(TaskManager::process).toList());
        if (jobManager != null) {
            all.add(jobManager);
        }
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle process : all) {
            try {
                process.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "standalone Flink cluster at " + restUrl() + " (" + taskManagers().size() + " TaskManagers)";
    }
}
