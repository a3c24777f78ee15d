package dev.ferry.testkit.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP forwarder on 127.0.0.1 in front of a real server, for outages on demand: {@link #cut()} drops every open
 * connection and refuses new ones, as a server that went down does; {@link #stall()} keeps the connections and
 * accepts new ones but passes nothing either way, as a server that hangs does; {@link #restore()} listens on the
 * same port again and passes on what waited. The server behind it keeps running with its data.
 */
public final class TcpProxy implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "tcp-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;
    private boolean stalled;

    private TcpProxy(int targetPort, ServerSocket listener) {
        this.targetPort = targetPort;
        this.port = listener.getLocalPort();
        accept(listener);
    }

    /** Forwards a free port on 127.0.0.1 to {@code targetPort} on 127.0.0.1. */
    public static TcpProxy to(int targetPort) {
        return new TcpProxy(targetPort, listen(0));
    }

    public int port() {
        return port;
    }

    /** The outage: open connections are dropped, new ones refused. */
    public synchronized void cut() {
        closeQuietly(listener);
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    /** The hang: connections stay open and new ones are taken, but no byte passes either way until restored. */
    public synchronized void stall() {
        stalled = true;
    }

    /** The end of an outage: the same port forwards again, and what waited during a stall passes. */
    public synchronized void restore() {
        stalled = false;
        notifyAll();
        if (listener.isClosed()) {
            accept(listen(port));
        }
    }

    private synchronized void awaitUnstalled() throws InterruptedException {
        while (stalled) {
            wait();
        }
    }

    private void accept(ServerSocket socket) {
        this.listener = socket;
        threads.execute(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    open.add(client);
                    open.add(server);
                    threads.execute(() -> pump(client, server));
                    threads.execute(() -> pump(server, client));
                } catch (IOException e) {
                    // the listener was closed by cut() or close(), or the target refused: the client sees it closed
                }
            }
        });
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                awaitUnstalled();
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away; the other is closed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    /**
     * Listens on {@code port}; a port just given up is retried for a few seconds, since a listener closed while
     * another thread waits in accept() is released only once that thread has left it.
     */
    private static ServerSocket listen(int port) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return socket;
            } catch (IOException e) {
                if (port == 0 || System.nanoTime() > deadline) {
                    throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException("interrupted while listening on 127.0.0.1:" + port, e);
                }
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            stalled = false;
            notifyAll();
        }
        cut();
        threads.shutdownNow();
    }
}
