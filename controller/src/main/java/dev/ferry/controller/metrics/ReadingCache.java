package dev.ferry.controller.metrics;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The pipes' readings, read at most once per {@code ttl}: one scrape asks for them once per metric, and each
 * reading asks Flink and ClickHouse.
 */
final class ReadingCache {

    private final Supplier<List<PipeReading>> source;
    private final long ttlNanos;
    private List<PipeReading> readings;
    private long readAtNanos;

    ReadingCache(Supplier<List<PipeReading>> source, Duration ttl) {
        this.source = source;
        this.ttlNanos = ttl.toNanos();
    }

    synchronized List<PipeReading> get() {
        long now = System.nanoTime();
        if (readings == null || now - readAtNanos > ttlNanos) {
            readings = source.get();
            readAtNanos = now;
        }
        return readings;
    }
}
