package dev.ferry.controller.catalog;

import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.Transition;

/**
 * Told of each state transition the catalog records, right after it is stored, on the thread that stored it: it
 * must not block (it counts, or hands the transition to a thread of its own).
 */
@FunctionalInterface
public interface TransitionListener {

    void transitioned(Pipe pipe, Transition transition);
}
