package dev.ferry.controller.reconcile;

import java.time.Duration;

/** How long to wait before the next attempt of a step that failed for a reason that can heal: 1, 2, 4 ... 60 s. */
public final class Backoff {

    static final Duration MAX = Duration.ofSeconds(60);

    private Backoff() {
    }

    public static Duration after(int attempts) {
        long seconds = 1L << Math.min(Math.max(attempts - 1, 0), 6);
        return Duration.ofSeconds(Math.min(seconds, MAX.toSeconds()));
    }
}
