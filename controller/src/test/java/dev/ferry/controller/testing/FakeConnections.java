package dev.ferry.controller.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import dev.ferry.common.sql.SyncLogTable;
import dev.ferry.controller.connect.ChangeProbe;
import dev.ferry.controller.connect.ClickHouseVersion;
import dev.ferry.controller.connect.Connections;
import dev.ferry.controller.connect.Destination;
import dev.ferry.controller.connect.DestinationException;
import dev.ferry.controller.connect.Source;
import dev.ferry.controller.connect.SourceException;
import dev.ferry.controller.connect.SyncLog;
import dev.ferry.controller.pipe.DestinationSpec;
import dev.ferry.controller.pipe.SourceSpec;
import dev.ferry.controller.pipe.TableMapping;

/**
 * A source, a destination and its sync log in memory, for tests of the controller's logic; each can be made to
 * fail.
 */
public final class FakeConnections implements Connections {

    public final FakeSource source = new FakeSource();
    public final FakeDestination destination = new FakeDestination();
    public final FakeSyncLog syncLog = new FakeSyncLog();
    public final FakeChangeProbe probe = new FakeChangeProbe();

    @Override
    public Source source(SourceSpec spec) {
        return source;
    }

    @Override
    public Destination destination(DestinationSpec spec) {
        return destination;
    }

    @Override
    public SyncLog syncLog(DestinationSpec spec, SyncLogTable table) {
        return syncLog;
    }

    @Override
    public ChangeProbe changeProbe(SourceSpec spec) {
        return probe;
    }

    /** A sync log that holds the totals a test gives it, and fails like its destination when told to. */
    public final class FakeSyncLog implements SyncLog {
        public final List<LoadTotals> totals = new ArrayList<>();
        public int creations;

        @Override
        public void create(int ttlDays) {
            destination.answer();
            creations++;
        }

        @Override
        public List<LoadTotals> totals(String pipeId) {
            destination.answer();
            return List.copyOf(totals);
        }

        @Override
        public List<Sync> history(String pipeId, java.time.Instant since, int limit) {
            destination.answer();
            return List.of();
        }

        @Override
        public List<Interval> throughput(String pipeId, java.time.Instant since, java.time.Duration step) {
            destination.answer();
            return List.of();
        }
    }

    /** A change stream whose oldest change waiting is the one a test gives (none: empty), above any version. */
    public static final class FakeChangeProbe implements ChangeProbe {
        public java.time.Instant oldestWaiting;
        public long askedAbove = -1;
        public boolean unreachable;

        @Override
        public java.util.Optional<java.time.Instant> oldestChangeAfter(long committedVersion,
                                                                      Collection<String> namespaces) {
            if (unreachable) {
                throw new SourceException(SourceException.Problem.UNREACHABLE, "cannot reach MongoDB at fake:27017");
            }
            askedAbove = committedVersion;
            return java.util.Optional.ofNullable(oldestWaiting);
        }

        @Override
        public void close() {
        }
    }

    /** A MongoDB deployment whose cluster time moves by one second at each start captured. */
    public static final class FakeSource implements Source {
        private long seconds = 1_800_000_000L;
        private boolean unreachable;

        public void unreachable(boolean value) {
            unreachable = value;
        }

        private void answer() {
            if (unreachable) {
                throw new SourceException(SourceException.Problem.UNREACHABLE, "cannot reach MongoDB at fake:27017");
            }
        }

        @Override
        public void check(List<TableMapping> mappings, boolean postImages) {
            answer();
        }

        @Override
        public long startPosition() {
            answer();
            seconds++;
            return seconds << 32;
        }

        @Override
        public Map<String, Long> estimatedCounts(List<TableMapping> mappings) {
            answer();
            Map<String, Long> counts = new LinkedHashMap<>();
            mappings.forEach(mapping -> counts.put(mapping.targetTable(), 10L));
            return counts;
        }

        @Override
        public List<Database> databases() {
            answer();
            return List.of(new Database("shop", List.of(new Collection("orders", 10L))));
        }
    }

    /** A ClickHouse server: the tables it has, the swaps it did, and how it fails when told to. */
    public static final class FakeDestination implements Destination {
        public final Set<String> tables = new LinkedHashSet<>();
        public final List<List<String>> swaps = new ArrayList<>();
        private String version = "18.16.1";
        private DestinationException failure;

        public void version(String value) {
            version = value;
        }

        /** Every call fails with {@code value} until it is set to null. */
        public void failWith(DestinationException value) {
            failure = value;
        }

        public static DestinationException unreachable() {
            return new DestinationException(DestinationException.Problem.UNREACHABLE, 0,
                "cannot reach ClickHouse at http://fake:8123: connection refused", null);
        }

        public static DestinationException refusedCredentials() {
            return DestinationException.refused(516, 500, "ClickHouse at http://fake:8123 refused the credentials");
        }

        void answer() {
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public ClickHouseVersion version() {
            answer();
            return ClickHouseVersion.parse(version);
        }

        @Override
        public Map<String, Long> tablesWithRows(Collection<String> names) {
            answer();
            return Map.of();
        }

        @Override
        public List<String> missingTables(Collection<String> names) {
            answer();
            return names.stream().filter(name -> !tables.contains(name)).toList();
        }

        @Override
        public void createDatabase() {
            answer();
        }

        @Override
        public java.util.Optional<String> partitionProblem(String expression,
                                                           List<dev.ferry.common.sql.TableLayout.Column> columns) {
            answer();
            return java.util.Optional.empty();
        }

        @Override
        public List<String> unknownEngineSettings(java.util.Collection<String> names) {
            if (!names.isEmpty()) {
                answer();
            }
            return List.of();
        }

        @Override
        public void createTable(String table, dev.ferry.common.sql.TableLayout layout) {
            answer();
            tables.add(table);
        }

        @Override
        public void addMissingColumns(String table, List<dev.ferry.common.sql.TableLayout.Column> columns) {
            answer();
        }

        @Override
        public void dropTable(String table) {
            answer();
            tables.remove(table);
        }

        @Override
        public void swapInResyncTables(List<String> swapped, String suffix, boolean keepDeletes) {
            answer();
            for (String table : swapped) {
                if (tables.remove(table + suffix)) {
                    tables.add(table);
                }
            }
            swaps.add(List.copyOf(swapped));
        }

        @Override
        public long liveRowCount(String table) {
            answer();
            return 0;
        }

        @Override
        public void liveRows(String table, List<String> ids, BiConsumer<String, String> row) {
            answer();
        }
    }
}
