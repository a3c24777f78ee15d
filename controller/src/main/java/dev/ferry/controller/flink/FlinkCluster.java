package dev.ferry.controller.flink;

import java.net.URL;

/** The Flink cluster pipes run on: the controller's embedded one, or a session cluster it is pointed at. */
public interface FlinkCluster extends AutoCloseable {

    /** The cluster's REST address (where its dashboard is too), starting the cluster when it is the embedded one. */
    URL restUrl() throws Exception;

    /** Whether the cluster is started by the controller when first needed (the embedded one). */
    boolean startsOnDemand();

    /** Stops the embedded cluster; a remote cluster goes on. */
    @Override
    void close() throws Exception;

    /** A session cluster that runs on its own, reached at {@code url}: it outlives the controller. */
    static FlinkCluster remote(URL url) {
        return new FlinkCluster() {
            @Override
            public URL restUrl() {
                return url;
            }

            @Override
            public boolean startsOnDemand() {
                return false;
            }

            @Override
            public void close() {
            }
        };
    }
}
