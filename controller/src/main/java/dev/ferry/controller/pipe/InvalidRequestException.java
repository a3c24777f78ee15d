package dev.ferry.controller.pipe;

import java.util.List;

/** A request that cannot be carried out as written: each problem names its field and what a valid value is. */
public final class InvalidRequestException extends RuntimeException {

    private final List<String> problems;

    public InvalidRequestException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidRequestException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
