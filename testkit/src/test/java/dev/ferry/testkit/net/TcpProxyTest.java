package dev.ferry.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy forwards both ways, refuses connections while cut, holds what is sent while stalled, and forwards again
 * on the same port once restored.
 */
class TcpProxyTest {

    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void startEchoServerBehindAProxy() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread server = new Thread(() -> {
            while (!echo.isClosed()) {
                try (Socket socket = echo.accept()) {
                    socket.getOutputStream().write(socket.getInputStream().read());
                } catch (IOException e) {
                    // closed
                }
            }
        });
        server.setDaemon(true);
        server.start();
        proxy = TcpProxy.to(echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private int roundTrip(int value) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(value);
            out.flush();
            InputStream in = socket.getInputStream();
            return in.read();
        }
    }

    @Test
    void bytesGoThroughBothWays() throws IOException {
        assertThat(roundTrip(42)).isEqualTo(42);
    }

    @Test
    void aCutProxyRefusesConnections() {
        proxy.cut();

        assertThatThrownBy(() -> roundTrip(1)).isInstanceOf(IOException.class);
    }

    @Test
    void aRestoredProxyForwardsAgainOnTheSamePort() throws IOException {
        int port = proxy.port();
        proxy.cut();

        proxy.restore();

        assertThat(proxy.port()).isEqualTo(port);
        assertThat(roundTrip(7)).isEqualTo(7);
    }

    @Test
    void aStalledProxyTakesConnectionsButAnswersNothingUntilRestored() throws Exception {
        proxy.stall();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(300);
            socket.getOutputStream().write(9);
            socket.getOutputStream().flush();
            assertThatThrownBy(() -> socket.getInputStream().read())
                .isInstanceOf(java.net.SocketTimeoutException.class);

            proxy.restore();

            socket.setSoTimeout(5_000);
            assertThat(socket.getInputStream().read()).isEqualTo(9);
        }
    }
}
