package dev.ferry.controller.alerts;

/** What a webhook receives: the pipe, the state it left (null for a new pipe) and entered, why, and when. */
public record Alert(String pipe, String from, String to, String reason, String at) {
}
