package dev.ferry.controller.pipe;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** The states of a pipe, named exactly as ClickPipes names them. */
public enum LifecycleState {
    PROVISIONING("Provisioning"),
    SETUP("Setup"),
    SNAPSHOT("Snapshot"),
    RUNNING("Running"),
    PAUSING("Pausing"),
    PAUSED("Paused"),
    MODIFYING("Modifying"),
    RESYNC("Resync"),
    DEGRADED("Degraded"),
    FAILED("Failed"),
    COMPLETED("Completed");

    private final String label;

    LifecycleState(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** The state with this label, in any case ({@code running} is Running). */
    public static Optional<LifecycleState> fromLabel(String label) {
        for (LifecycleState state : values()) {
            if (state.label.equalsIgnoreCase(label)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return label;
    }
}
