package dev.ferry.testkit.clickhouse;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.concurrent.CountDownLatch;

/** {@code bin/ferry clickhouse [--http-port N]}: a throwaway ClickHouse server for the demo, until stopped. */
@Command(name = "ferry clickhouse", mixinStandardHelpOptions = true,
    description = "Runs a throwaway ClickHouse server on 127.0.0.1 (the demo's); its data goes when it stops.")
public final class ClickHouseMain implements Callable<Integer> {

    @Option(names = "--http-port", paramLabel = "N", description = "Its HTTP port; 0 picks a free one "
        + "(default ${DEFAULT-VALUE}).")
    int port = 0;

    public static void main(String[] args) {
        int exit = new CommandLine(new ClickHouseMain()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        ClickHouseServer server;
        try {
            server = ClickHouseServer.start(ClickHouseServer.binary(), port);
        } catch (IllegalStateException e) {
            System.err.println("ferry clickhouse: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "clickhouse-shutdown"));
        System.out.println("ClickHouse listening: " + server.url());
        stopped.await();
        return 0;
    }
}
