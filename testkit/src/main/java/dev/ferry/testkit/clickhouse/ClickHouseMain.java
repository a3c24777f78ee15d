package dev.ferry.testkit.clickhouse;

import java.util.concurrent.CountDownLatch;

/** {@code bin/ferry clickhouse [--http-port N]}: a throwaway ClickHouse server for the demo, until stopped. */
public final class ClickHouseMain {

    private ClickHouseMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        if (args.length == 2 && args[0].equals("--http-port")) {
            port = Integer.parseInt(args[1]);
        } else if (args.length != 0) {
            System.err.println("usage: ferry clickhouse [--http-port N]");
            System.exit(2);
        }
        ClickHouseServer server;
        try {
            server = ClickHouseServer.start(ClickHouseServer.binary(), port);
        } catch (IllegalStateException e) {
            System.err.println("ferry clickhouse: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "clickhouse-shutdown"));
        System.out.println("ClickHouse listening: " + server.url());
        stopped.await();
    }
}
