package dev.ferry.job.snapshot;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.connector.source.SourceSplit;
import org.bson.BsonMaxKey;
import org.bson.BsonMinKey;
import org.bson.BsonValue;

/**
 * An {@code _id} range of one collection's load: from {@code min} (inclusive) to {@code max} (exclusive), in the
 * order of the {@code _id} index, which covers every BSON type (MinKey and MaxKey bound the whole collection).
 * {@code after} is the last {@code _id} read, null before the first: a split restored from a checkpoint goes on
 * after it, so that documents deleted or inserted meanwhile move nothing; {@code rows} is how many documents were
 * read from it; {@code ranges} is how many ranges its load was split into (0 for a split checkpointed before
 * splits knew it), which the sync log needs to tell when the load is done. A {@code finished} split is a reader's
 * note that it read the split to its end, kept until the enumerator has checkpointed that it knows.
 */
public record SnapshotSplit(String splitId, String loadKey, BsonValue min, BsonValue max, BsonValue after,
                            long rows, boolean finished, int ranges) implements SourceSplit {

    /** The ranges between {@code MinKey}, each of {@code bounds} in order, and {@code MaxKey}. */
    static List<SnapshotSplit> ranges(String loadKey, List<BsonValue> bounds) {
        List<SnapshotSplit> splits = new ArrayList<>();
        int ranges = bounds.size() + 1;
        BsonValue min = new BsonMinKey();
        for (BsonValue bound : bounds) {
            splits.add(range(loadKey, splits.size(), ranges, min, bound));
            min = bound;
        }
        splits.add(range(loadKey, splits.size(), ranges, min, new BsonMaxKey()));
        return splits;
    }

    static SnapshotSplit range(String loadKey, int index, int ranges, BsonValue min, BsonValue max) {
        return new SnapshotSplit(loadKey + "#" + index, loadKey, min, max, null, 0, false, ranges);
    }

    SnapshotSplit resumedAfter(BsonValue id, long rowsRead) {
        return new SnapshotSplit(splitId, loadKey, min, max, id, rowsRead, false, ranges);
    }

    SnapshotSplit asFinished() {
        return new SnapshotSplit(splitId, loadKey, min, max, after, rows, true, ranges);
    }
}
