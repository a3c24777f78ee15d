package dev.ferry.controller.pipe;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.ferry.common.JobGraphNames;

/** What became of a mapped collection under a running pipe, as the job's counters tell it. */
public enum SourceGone {
    DROPPED(JobGraphNames.SOURCE_DROPPED),
    RENAMED(JobGraphNames.SOURCE_RENAMED);

    private final String event;

    SourceGone(String event) {
        this.event = event;
    }

    /** The job's name for the event, which names its counter; also how the catalog and users read it. */
    @JsonValue
    public String event() {
        return event;
    }
}
