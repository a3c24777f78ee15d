package dev.ferry.controller;

/** The controller cannot start as asked: an option or its combination is wrong. The message says how to fix it. */
public final class ControllerConfigurationException extends RuntimeException {

    public ControllerConfigurationException(String message) {
        super(message);
    }
}
