package dev.ferry.controller;

import java.net.ServerSocket;
import java.nio.file.Path;

/** Controllers for tests: the project's job jar and Flink configuration, a data directory of the test's own. */
final class TestControllers {

    /** The project's root, above the module the tests run in. */
    static final Path HOME = Path.of(System.getProperty("user.dir")).getParent();
    static final Path FLINK_CONF = HOME.resolve("flink-conf");
    private static final long RECONCILE_MILLIS = 200;

    private TestControllers() {
    }

    static Controller start(Path dataDirectory) throws Exception {
        return start(dataDirectory, FLINK_CONF, freePort());
    }

    static Controller start(Path dataDirectory, Path flinkConf, int flinkRestPort) throws Exception {
        return Controller.start(Controller.Settings.embedded(0, dataDirectory, flinkRestPort, flinkConf,
            ControllerMain.jobJar(HOME), RECONCILE_MILLIS));
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
