package dev.ferry.controller.pipe;

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

    @Override
    public String toString() {
        return label;
    }
}
