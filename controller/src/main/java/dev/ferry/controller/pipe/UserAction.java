package dev.ferry.controller.pipe;

import static dev.ferry.controller.pipe.LifecycleState.DEGRADED;
import static dev.ferry.controller.pipe.LifecycleState.MODIFYING;
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

/**
 * What a user can ask of a pipe, and the states that allow it: the one table of allowed actions. An action is an
 * intent recorded in the spec, so it is accepted in every state that is not an end (Failed, Completed) and pursued
 * from there, whatever is in flight: a pause asked during a restart ends Paused once the restart's stop is done,
 * a change asked while the job stops is applied when it starts again. Refused are only what would change nothing
 * (pausing what is pausing or paused, resuming what runs) and what an end state cannot take (only a resync starts
 * a Failed or Completed pipe again).
 */
public enum UserAction {
    PAUSE("pause", EnumSet.of(PROVISIONING, SETUP, SNAPSHOT, RUNNING, DEGRADED, MODIFYING, LifecycleState.RESYNC)),
    RESUME("resume", EnumSet.of(PAUSED, PAUSING)),
    RESYNC("resync", EnumSet.allOf(LifecycleState.class)),
    RESYNC_TABLE("resyncing a table", Lasting.BUT_RESYNC),
    CHANGE_SETTINGS("changing settings", Lasting.STATES),
    CHANGE_TABLES("adding and removing tables", Lasting.BUT_RESYNC);

    /**
     * The states that are not an end: every change of the spec is taken in them; changes of the tables wait for a
     * resync of the whole pipe to end, as it loads every table into a {@code _resync} table of its own.
     */
    private static final class Lasting {
        static final Set<LifecycleState> STATES = EnumSet.complementOf(EnumSet.of(LifecycleState.FAILED,
            LifecycleState.COMPLETED));
        static final Set<LifecycleState> BUT_RESYNC = EnumSet.complementOf(EnumSet.of(LifecycleState.FAILED,
            LifecycleState.COMPLETED, LifecycleState.RESYNC));
    }

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
        if (this == PAUSE && (state == PAUSING || state == PAUSED)) {
            return " (it is " + state + " already)";
        }
        if (this == RESUME && state != LifecycleState.FAILED && state != LifecycleState.COMPLETED) {
            return " (it is not paused)";
        }
        if (this == RESYNC_TABLE && state == LifecycleState.FAILED) {
            return " (resync the whole pipe instead: PATCH /v1/pipes/" + pipe.id() + "/state {\"action\": \"resync\"})";
        }
        if (state == LifecycleState.FAILED) {
            return " (resync it to start it again)";
        }
        if (state == LifecycleState.RESYNC) {
            return " (the whole pipe is being resynced, every table with it; change its tables once it is Running)";
        }
        if (state == LifecycleState.COMPLETED) {
            return " (its snapshot is complete; resync it to load it again)";
        }
        return "";
    }
}
