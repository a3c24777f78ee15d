package dev.ferry.controller.pipe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One lock per pipe, taken by the reconciler for a reconciliation step and by the API for a user's action, so that
 * neither overwrites what the other just recorded.
 */
public final class PipeLocks {

    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public Object of(String pipeId) {
        return locks.computeIfAbsent(pipeId, id -> new Object());
    }

    public void forget(String pipeId) {
        locks.remove(pipeId);
    }
}
