package dev.ferry.controller.pipe;

import static dev.ferry.controller.pipe.LifecycleState.DEGRADED;
import static dev.ferry.controller.pipe.LifecycleState.FAILED;
import static dev.ferry.controller.pipe.LifecycleState.PAUSED;
import static dev.ferry.controller.pipe.LifecycleState.PAUSING;
import static dev.ferry.controller.pipe.LifecycleState.PROVISIONING;
import static dev.ferry.controller.pipe.LifecycleState.RUNNING;
import static dev.ferry.controller.pipe.LifecycleState.SETUP;
import static dev.ferry.controller.pipe.LifecycleState.SNAPSHOT;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a user can ask of a pipe, and the states that allow it: the one table of allowed actions. */
public enum UserAction {
    PAUSE("pause", EnumSet.of(PROVISIONING, SETUP, SNAPSHOT, RUNNING, DEGRADED)),
    RESUME("resume", EnumSet.of(PAUSED)),
    RESYNC("resync", EnumSet.of(RUNNING, PAUSED, DEGRADED, FAILED)),
    RESYNC_TABLE("resyncing a table", EnumSet.of(RUNNING, PAUSED, DEGRADED)),
    CHANGE_SETTINGS("changing settings", EnumSet.of(RUNNING, SNAPSHOT, PAUSED, DEGRADED)),
    CHANGE_TABLES("adding and removing tables", EnumSet.of(RUNNING, PAUSED, DEGRADED));

    private final String description;
    private final Set<LifecycleState> allowedIn;

    UserAction(String description, Set<LifecycleState> allowedIn) {
        this.description = description;
        this.allowedIn = allowedIn;
    }

    /**
     * The action a state change request names ({@code {"action": "pause" | "resume" | "resync"}}); refused as an
     * invalid request otherwise.
     */
    public static UserAction ofStateRequest(String word) {
        return switch (word) {
            case "pause" -> PAUSE;
            case "resume" -> RESUME;
            case "resync" -> RESYNC;
            default -> throw new InvalidRequestException("unknown action '" + word
                + "'; use {\"action\": \"pause\"}, \"resume\" or \"resync\"");
        };
    }

    public boolean isAllowedIn(LifecycleState state) {
        return allowedIn.contains(state);
    }

    /** Refuses with a conflict that names the allowed states when the pipe's state does not allow this action. */
    public void requireAllowed(Pipe pipe) {
        refusal(pipe).ifPresent(reason -> {
            throw new ConflictException(reason);
        });
    }

    /** Why the pipe's state does not allow this action, as a refusal says it; empty when it does. */
    public Optional<String> refusal(Pipe pipe) {
        LifecycleState state = pipe.state();
        if (isAllowedIn(state)) {
            return Optional.empty();
        }
        List<String> states = allowedIn.stream().map(LifecycleState::label).toList();
        String allowed = states.size() == 1 ? states.get(0)
            : String.join(", ", states.subList(0, states.size() - 1)) + " and " + states.get(states.size() - 1);
        return Optional.of("pipe '" + pipe.name() + "' is " + state + "; " + description + " is allowed in "
            + allowed + hint(pipe));
    }

    private String hint(Pipe pipe) {
        LifecycleState state = pipe.state();
        if (this == RESUME && state == PAUSING) {
            return " (it is still pausing; try again in a moment)";
        }
        if (this == RESYNC_TABLE && state == FAILED) {
            return " (resync the whole pipe instead: PATCH /v1/pipes/" + pipe.id() + "/state {\"action\": \"resync\"})";
        }
        if (state == LifecycleState.MODIFYING || state == LifecycleState.SETUP || state == SNAPSHOT) {
            return " (a change is being applied; try again once it is Running: bin/ferry pipes wait " + pipe.name()
                + " --state Running)";
        }
        return "";
    }
}
