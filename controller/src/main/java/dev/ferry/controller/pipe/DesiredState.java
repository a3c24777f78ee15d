package dev.ferry.controller.pipe;

/** Whether the user wants a pipe's job running or stopped with its position kept (the operator's job state). */
public enum DesiredState {
    RUNNING,
    PAUSED
}
