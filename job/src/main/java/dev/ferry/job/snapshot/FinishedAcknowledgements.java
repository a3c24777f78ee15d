package dev.ferry.job.snapshot;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ranges readers reported finished, until they may forget them: a report is acknowledged once a checkpoint
 * that holds it has completed, so that after a restore nothing finished is read again and nothing unfinished is
 * forgotten. A reader told there is nothing more finishes, and gets no acknowledgements (an event to its finished
 * task would fail the job; a restored reader reports again).
 */
final class FinishedAcknowledgements {

    private final Set<Integer> finishing = new HashSet<>();
    private final Map<Integer, Set<String>> unacknowledged = new HashMap<>();
    private final NavigableMap<Long, Map<Integer, Set<String>>> acknowledgedAt = new TreeMap<>();

    /** A reader reported these ranges finished. */
    void reported(int reader, Set<String> splitIds) {
        if (!finishing.contains(reader)) {
            unacknowledged.computeIfAbsent(reader, id -> new HashSet<>()).addAll(splitIds);
        }
    }

    /** The reader was told there is nothing more: it finishes. */
    void finishing(int reader) {
        finishing.add(reader);
        unacknowledged.remove(reader);
        acknowledgedAt.values().forEach(byReader -> byReader.remove(reader));
    }

    /** The reader registered again after its task restarted: it may get acknowledgements again. */
    void back(int reader) {
        finishing.remove(reader);
    }

    /** The reports so far are held by checkpoint {@code checkpointId}. */
    void checkpointed(long checkpointId) {
        if (!unacknowledged.isEmpty()) {
            acknowledgedAt.put(checkpointId, new HashMap<>(unacknowledged));
            unacknowledged.clear();
        }
    }

    /** Per reader, the ranges checkpoints up to {@code checkpointId} hold, to acknowledge now; forgotten here. */
    Map<Integer, Set<String>> completed(long checkpointId) {
        Map<Long, Map<Integer, Set<String>>> complete = acknowledgedAt.headMap(checkpointId, true);
        Map<Integer, Set<String>> byReader = new HashMap<>();
        complete.values().forEach(reports -> reports.forEach((reader, splitIds) ->
            byReader.computeIfAbsent(reader, id -> new HashSet<>()).addAll(splitIds)));
        complete.clear();
        return byReader;
    }
}
