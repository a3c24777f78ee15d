package dev.ferry.bench;

import java.util.function.LongSupplier;

/**
 * Watches a count grow to a target by polling it, and keeps when it first moved, when it passed 20% and 80% of the
 * target (between which the rate is steady: the start and the tail are left out), and when it reached the target.
 */
final class Progress {

    private static final long POLL_MILLIS = 100;

    private final long startNanos;
    private long firstNanos = -1;
    private long lowNanos = -1;
    private long lowCount;
    private long highNanos = -1;
    private long highCount;
    private long doneNanos = -1;

    private Progress(long startNanos) {
        this.startNanos = startNanos;
    }

    /** Polls {@code count} from {@code startNanos} until it reaches {@code target}, or fails after the timeout. */
    static Progress watch(long startNanos, long target, LongSupplier count, long timeoutSeconds)
        throws InterruptedException {
        Progress progress = new Progress(startNanos);
        long deadline = startNanos + timeoutSeconds * 1_000_000_000L;
        long seen = 0;
        while (seen < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + seen + " of " + target + " rows after " + timeoutSeconds
                    + " s");
            }
            Thread.sleep(POLL_MILLIS);
            seen = count.getAsLong();
            progress.observe(System.nanoTime(), seen, target);
        }
        return progress;
    }

    private void observe(long now, long count, long target) {
        if (count > 0 && firstNanos < 0) {
            firstNanos = now;
        }
        if (count >= target / 5 && lowNanos < 0) {
            lowNanos = now;
            lowCount = count;
        }
        if (count >= target * 4 / 5 && highNanos < 0) {
            highNanos = now;
            highCount = count;
        }
        if (count >= target && doneNanos < 0) {
            doneNanos = now;
        }
    }

    double secondsToFirst() {
        return (firstNanos - startNanos) / 1e9;
    }

    double secondsToDone() {
        return (doneNanos - startNanos) / 1e9;
    }

    /** Rows per second between 20% and 80% of the target, or over the whole run when both fell in one poll. */
    double steadyRate() {
        if (highNanos > lowNanos) {
            return (highCount - lowCount) / ((highNanos - lowNanos) / 1e9);
        }
        return highCount / ((doneNanos - firstNanos) / 1e9 + POLL_MILLIS / 1e3);
    }
}
