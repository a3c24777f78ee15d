package dev.ferry.controller.pipe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a change of a pipe moves its error history: a problem it did not have before opens an error (the state it is
 * in, the reason it gives), and one it no longer has is resolved. Its problems are why it is Degraded or Failed, and
 * a step the reconciler tries again; one error lasts as long as its problem does, however many times the step is
 * tried or the reason's words change.
 */
public final class PipeErrors {

    /** An error opened ({@code opens}) or resolved by a change of the pipe. */
    public record Change(Problem problem, LifecycleState state, String message, boolean opens) {
    }

    private PipeErrors() {
    }

    public static List<Change> between(Pipe before, Pipe after) {
        Map<Problem, String> had = before == null ? Map.of() : problems(before);
        Map<Problem, String> has = problems(after);
        List<Change> changes = new ArrayList<>();
        had.keySet().stream().filter(problem -> !has.containsKey(problem))
            .forEach(problem -> changes.add(new Change(problem, after.state(), had.get(problem), false)));
        has.forEach((problem, message) -> {
            if (!had.containsKey(problem)) {
                changes.add(new Change(problem, after.state(), message, true));
            }
        });
        return changes;
    }

    /** The pipe's problems now, with what it says of each. */
    private static Map<Problem, String> problems(Pipe pipe) {
        Map<Problem, String> problems = new LinkedHashMap<>();
        if (pipe.problem() != null) {
            problems.put(pipe.problem(), pipe.stateReason());
        }
        if (pipe.status().retry() != null) {
            problems.put(Problem.RETRYING, pipe.status().retry().error());
        }
        return problems;
    }
}
