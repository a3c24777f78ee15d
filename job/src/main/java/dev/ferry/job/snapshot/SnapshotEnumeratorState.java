package dev.ferry.job.snapshot;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the snapshot's enumerator checkpoints: the loads waiting their turn (in order), the splits of each load
 * being read that readers have not finished, the splits no reader has yet, the loads done, and per load the
 * documents of its finished splits.
 */
public record SnapshotEnumeratorState(List<String> queued, Map<String, Set<String>> remaining,
                                      List<SnapshotSplit> unassigned, Set<String> done, Map<String, Long> rowsRead) {

    public SnapshotEnumeratorState {
        queued = List.copyOf(queued);
        remaining = Map.copyOf(remaining);
        unassigned = List.copyOf(unassigned);
        done = Set.copyOf(done);
        rowsRead = Map.copyOf(rowsRead);
    }

    /** Before anything is read: every load queued. */
    static SnapshotEnumeratorState initial(List<String> loads) {
        return new SnapshotEnumeratorState(loads, Map.of(), List.of(), Set.of(), Map.of());
    }
}
