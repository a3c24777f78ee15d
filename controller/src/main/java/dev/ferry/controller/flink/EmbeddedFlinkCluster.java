package dev.ferry.controller.flink;

import java.net.URL;
import java.nio.file.Path;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * The Flink cluster the controller runs in its own JVM on one machine: a MiniCluster with flink-conf/'s settings,
 * its REST API and web dashboard on 127.0.0.1, and checkpoints and savepoints in the state directory. Started by
 * the first pipe that needs it.
 */
public final class EmbeddedFlinkCluster implements FlinkCluster {

    private final Configuration configuration;
    private MiniCluster cluster;

    public EmbeddedFlinkCluster(Path flinkConfDirectory, Path dataDirectory, StateDirectory state, int restPort,
                                int slots) {
        Configuration conf = GlobalConfiguration.loadConfiguration(flinkConfDirectory.toString());
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, state.checkpoints());
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, state.savepoints());
        conf.set(RestOptions.PORT, restPort);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        conf.set(WebOptions.UPLOAD_DIR, dataDirectory.resolve("flink-web-upload").toString());
        this.configuration = conf;
    }

    /** Starts the cluster unless it runs; returns its REST API's base URL, where the dashboard is too. */
    @Override
    public synchronized URL restUrl() throws Exception {
        if (cluster == null || !cluster.isRunning()) {
            MiniCluster miniCluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(configuration.get(TaskManagerOptions.NUM_TASK_SLOTS))
                .build());
            miniCluster.start();
            cluster = miniCluster;
        }
        return cluster.getRestAddress().get().toURL();
    }

    @Override
    public boolean startsOnDemand() {
        return true;
    }

    @Override
    public synchronized void close() throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
