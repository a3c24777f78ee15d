package dev.ferry.controller.flink;

import java.nio.file.Path;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * The Flink cluster the controller runs in its own JVM on one machine: a MiniCluster with flink-conf/'s settings,
 * its REST API and web dashboard on 127.0.0.1, and checkpoints and savepoints under the controller's data
 * directory. Started by the first pipe that needs it.
 */
public final class EmbeddedFlinkCluster implements AutoCloseable {

    private final Configuration configuration;
    private MiniCluster cluster;

    public EmbeddedFlinkCluster(Path flinkConfDirectory, Path dataDirectory, int restPort, int slots) {
        Configuration conf = GlobalConfiguration.loadConfiguration(flinkConfDirectory.toString());
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDirectory(dataDirectory).toUri().toString());
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, dataDirectory.resolve("savepoints").toUri().toString());
        conf.set(RestOptions.PORT, restPort);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        conf.set(org.apache.flink.configuration.WebOptions.UPLOAD_DIR, dataDirectory.resolve("flink-web-upload").toString());
        this.configuration = conf;
    }

    /** Where the cluster's checkpoints go, per job: {@code <dir>/<job id>/chk-<n>}. */
    public static Path checkpointDirectory(Path dataDirectory) {
        return dataDirectory.resolve("checkpoints");
    }

    public synchronized boolean isRunning() {
        return cluster != null && cluster.isRunning();
    }

    public synchronized void start() throws Exception {
        if (isRunning()) {
            return;
        }
        MiniCluster miniCluster = new MiniCluster(new MiniClusterConfiguration.Builder()
            .setConfiguration(configuration)
            .setNumTaskManagers(1)
            .setNumSlotsPerTaskManager(configuration.get(TaskManagerOptions.NUM_TASK_SLOTS))
            .build());
        miniCluster.start();
        cluster = miniCluster;
    }

    /** The REST API's base URL, where the dashboard is too. */
    public synchronized String restUrl() {
        try {
            return cluster.getRestAddress().get().toString();
        } catch (Exception e) {
            throw new IllegalStateException("the embedded Flink cluster has no REST address", e);
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
