package dev.ferry.job.snapshot;

import java.util.List;

import org.apache.flink.api.connector.source.SourceEvent;

/** From the enumerator to a reader: a completed checkpoint holds that these splits are finished; the reader forgets them. */
record SplitsFinishedAck(List<String> splitIds) implements SourceEvent {

    SplitsFinishedAck {
        splitIds = List.copyOf(splitIds);
    }
}
