package dev.ferry.job.snapshot;

import java.util.Map;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * From a reader to the enumerator: it has read these splits to their ends, with how many documents each held; sent
 * again after a restore until acknowledged.
 */
record SplitsFinished(Map<String, Long> rowsBySplit) implements SourceEvent {

    SplitsFinished {
        rowsBySplit = Map.copyOf(rowsBySplit);
    }
}
