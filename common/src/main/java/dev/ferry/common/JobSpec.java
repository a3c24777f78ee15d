package dev.ferry.common;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

import dev.ferry.common.encoding.FieldExclusions;
import dev.ferry.common.mongo.MongoUris;
import dev.ferry.common.sql.SyncLogTable;

/**
 * What one pipe's job does, as the controller writes it for the job to read: where to read, where to write, which
 * collections, how to batch, from which cluster time changes are wanted, where its checkpoints go, and where on
 * the destination server it logs each sync ({@code syncLog}). {@code tableSuffix} is appended to every destination
 * table ({@code _resync} while a resync loads). Passwords are {@link Secret}s: the values, or references the job
 * resolves where it runs.
 */
public record JobSpec(String pipeId, String name, Source source, Destination destination, List<Table> tables,
                      Mode replicationMode, int pullBatchSize, int syncIntervalSeconds, Snapshot snapshot,
                      long startAtOperationTime, String tableSuffix, String checkpointDirectory, SyncLogTable syncLog)
    implements Serializable {

    public JobSpec {
        syncLog = syncLog == null ? SyncLogTable.DEFAULT : syncLog;
    }

    /** What the job replicates: a snapshot and then the changes, the snapshot only, or the changes only. */
    public enum Mode {
        CDC("cdc"), SNAPSHOT("snapshot"), CDC_ONLY("cdc_only");

        private final String word;

        Mode(String word) {
            this.word = word;
        }

        /** How the spec file writes it (the pipe's {@code replicationMode} setting). */
        public String word() {
            return word;
        }

        static Mode of(String word) {
            for (Mode mode : values()) {
                if (mode.word.equals(word)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("not a replication mode: " + word);
        }
    }

    /** The job's main class in the job jar, which the controller asks Flink to run. */
    public static final String ENTRY_CLASS = "dev.ferry.job.FerryJob";

    /**
     * The MongoDB deployment: its connection string as the user gave it, read preference and credentials; and
     * whether updates are read with their post-images ({@code fullDocument: whenAvailable}, MongoDB 6.0+) rather
     * than looked up ({@code updateLookup}).
     */
    public record Source(String uri, String readPreference, String username, Secret password, boolean postImages)
        implements Serializable {

        public Source(String uri, String readPreference, String username, Secret password) {
            this(uri, readPreference, username, password, false);
        }

        /** The connection string with the read preference and credentials in it, the password resolved here. */
        public String connectionString() {
            return MongoUris.effective(uri, readPreference, username, password.resolve());
        }
    }

    /**
     * The ClickHouse database; {@code compression}: whether the server may be asked for compressed responses
     * (ClickHouse 18.16 answers such a request with an empty body); {@code jsonDoc}: whether the tables' doc column
     * has the JSON type (else String).
     */
    public record Destination(String url, String database, String username, Secret password, boolean compression,
                              boolean jsonDoc) implements Serializable {
    }

    /**
     * How the collections are loaded: {@code parallelTables} collections at a time (the others wait their turn),
     * each split into {@code _id} ranges of about {@code rowsPerPartition} documents that {@code parallelism}
     * readers read side by side.
     */
    public record Snapshot(int parallelTables, int parallelism, int rowsPerPartition) implements Serializable {

        public static final Snapshot DEFAULT = new Snapshot(1, 2, 100_000);
    }

    /**
     * One replicated collection and its destination table; {@code load}: whether this job loads it (a snapshot),
     * as it has not been loaded yet. A table added to a running pipe, or resynced on its own, has a snapshot of its
     * own: {@code snapshotVersion} (or -1 for the pipe's) and {@code generation}, which tells its load from earlier
     * ones. A table resynced on its own is loaded into the table named with {@code suffix} ({@code _resync}) until
     * it is swapped in. {@code excludeFields}: dotted paths left out of the doc column; {@code keepDeletes}: a
     * delete in MongoDB leaves the table's row as it was. {@code columns}: the table's typed columns, each filled
     * from the document at its path; {@code keyColumns}: those of them in the table's sorting or partition key,
     * whose values the job follows per document so that a document whose key moves leaves no row behind.
     * {@code loadId}: which load of the table the job's rows count toward in the sync log (a resync of the table
     * starts a new one).
     */
    public record Table(String database, String collection, String table, long snapshotVersion, int generation,
                        String suffix, boolean load, List<String> excludeFields, boolean keepDeletes,
                        List<Column> columns, List<String> keyColumns, long loadId)
        implements Serializable {

        public Table {
            excludeFields = excludeFields == null ? List.of() : List.copyOf(excludeFields);
            columns = columns == null ? List.of() : List.copyOf(columns);
            keyColumns = keyColumns == null ? List.of() : List.copyOf(keyColumns);
        }

        public Table(String database, String collection, String table, long snapshotVersion, int generation,
                     String suffix, boolean load) {
            this(database, collection, table, snapshotVersion, generation, suffix, load, List.of(), false, List.of(),
                List.of(), 0);
        }

        public Table(String database, String collection, String table) {
            this(database, collection, table, -1, 0, "", true);
        }

        /** The same table, with fields left out and deletes kept (or not). */
        public Table withExclusions(List<String> fields, boolean deletesKept) {
            return new Table(database, collection, table, snapshotVersion, generation, suffix, load, fields,
                deletesKept, columns, keyColumns, loadId);
        }

        /** The same table, with typed columns (their types as the destination server has them). */
        public Table withColumns(List<Column> typed, List<String> key) {
            return new Table(database, collection, table, snapshotVersion, generation, suffix, load, excludeFields,
                keepDeletes, typed, key, loadId);
        }

        /** The same table, its rows counting toward the load {@code id} in the sync log. */
        public Table withLoadId(long id) {
            return new Table(database, collection, table, snapshotVersion, generation, suffix, load, excludeFields,
                keepDeletes, columns, keyColumns, id);
        }

        /** The fields left out of the doc column, for the encoder. */
        public FieldExclusions exclusions() {
            return FieldExclusions.of(excludeFields);
        }

        /** What tells this table's load from every other: its name and generation. */
        public String loadKey() {
            return table + "@" + generation;
        }
    }

    /**
     * A typed column: {@code name} in the table, filled from the document's value at the dotted {@code path}, of
     * the ClickHouse {@code type} the table has (see {@link dev.ferry.common.columns.ColumnType}).
     */
    public record Column(String name, String path, String type) implements Serializable {
    }

    /** The same spec, with the job's checkpoints going to {@code directory}. */
    public JobSpec withCheckpointDirectory(String directory) {
        return new JobSpec(pipeId, name, source, destination, tables, replicationMode, pullBatchSize,
            syncIntervalSeconds, snapshot, startAtOperationTime, tableSuffix, directory, syncLog);
    }

    /** The ClickHouse table the rows of {@code table} go to now. */
    public String destinationOf(Table table) {
        return table.table() + tableSuffix + table.suffix();
    }

    public boolean snapshots() {
        return replicationMode != Mode.CDC_ONLY;
    }

    public boolean streamsChanges() {
        return replicationMode != Mode.SNAPSHOT;
    }

    /** The tables this job loads: every table not loaded yet, when the pipe takes snapshots. */
    public List<Table> tablesToLoad() {
        return snapshots() ? tables.stream().filter(Table::load).toList() : List.of();
    }

    /** Each replicated collection's namespace ({@code db.collection}) and its table, in the order of the tables. */
    public Map<String, String> tableByNamespace() {
        Map<String, String> byNamespace = new LinkedHashMap<>();
        tables.forEach(t -> byNamespace.put(t.database() + "." + t.collection(), t.table()));
        return byNamespace;
    }

    public static JobSpec fromJson(String json) {
        Document d = Document.parse(json);
        Document source = d.get("source", Document.class);
        Document destination = d.get("destination", Document.class);
        Document snapshot = d.get("snapshot", Document.class);
        List<Table> tables = new ArrayList<>();
        for (Document t : d.getList("tables", Document.class)) {
            tables.add(new Table(t.getString("database"), t.getString("collection"), t.getString("table"),
                ((Number) t.get("snapshotVersion", -1L)).longValue(), t.get("generation", 0), t.get("suffix", ""),
                t.get("load", true), t.getList("excludeFields", String.class, List.of()), t.get("keepDeletes", false),
                t.getList("columns", Document.class, List.of()).stream().map(c -> new Column(c.getString("name"),
                    c.getString("path"), c.getString("type"))).toList(),
                t.getList("keyColumns", String.class, List.of()), ((Number) t.get("loadId", 0L)).longValue()));
        }
        return new JobSpec(d.getString("pipeId"), d.getString("name"),
            new Source(source.getString("uri"), source.getString("readPreference"), source.getString("username"),
                secret(source.get("password", Document.class)), source.get("postImages", false)),
            new Destination(destination.getString("url"), destination.getString("database"),
                destination.getString("username"), secret(destination.get("password", Document.class)),
                destination.get("compression", false), destination.get("jsonDoc", false)),
            tables, Mode.of(d.getString("replicationMode")), d.getInteger("pullBatchSize"), d.getInteger("syncIntervalSeconds"),
            new Snapshot(snapshot.getInteger("parallelTables"), snapshot.getInteger("parallelism"),
                snapshot.getInteger("rowsPerPartition")), ((Number) d.get("startAtOperationTime")).longValue(),
            d.get("tableSuffix", ""), d.getString("checkpointDirectory"), syncLog(d.get("syncLog", Document.class)));
    }

    public String toJson() {
        List<Document> tableDocs = tables.stream().map(t -> new Document("database", t.database())
            .append("collection", t.collection()).append("table", t.table())
            .append("snapshotVersion", t.snapshotVersion()).append("generation", t.generation())
            .append("suffix", t.suffix()).append("load", t.load()).append("excludeFields", t.excludeFields())
            .append("keepDeletes", t.keepDeletes())
            .append("columns", t.columns().stream().map(c -> new Document("name", c.name()).append("path", c.path())
                .append("type", c.type())).toList())
            .append("keyColumns", t.keyColumns()).append("loadId", t.loadId())).toList();
        return new Document("pipeId", pipeId).append("name", name)
            .append("source", new Document("uri", source.uri()).append("readPreference", source.readPreference())
                .append("username", source.username()).append("password", json(source.password()))
                .append("postImages", source.postImages()))
            .append("destination", new Document("url", destination.url()).append("database", destination.database())
                .append("username", destination.username()).append("password", json(destination.password()))
                .append("compression", destination.compression()).append("jsonDoc", destination.jsonDoc()))
            .append("tables", tableDocs).append("replicationMode", replicationMode.word())
            .append("pullBatchSize", pullBatchSize).append("syncIntervalSeconds", syncIntervalSeconds)
            .append("snapshot", new Document("parallelTables", snapshot.parallelTables())
                .append("parallelism", snapshot.parallelism()).append("rowsPerPartition", snapshot.rowsPerPartition()))
            .append("startAtOperationTime", startAtOperationTime).append("tableSuffix", tableSuffix)
            .append("checkpointDirectory", checkpointDirectory)
            .append("syncLog", new Document("database", syncLog.database()).append("table", syncLog.table())).toJson();
    }

    private static Document json(Secret secret) {
        return new Document("value", secret.value()).append("fromEnv", secret.fromEnv())
            .append("fromFile", secret.fromFile());
    }

    private static SyncLogTable syncLog(Document json) {
        return json == null ? null : new SyncLogTable(json.getString("database"), json.getString("table"));
    }

    private static Secret secret(Document json) {
        return json == null ? Secret.NONE
            : new Secret(json.getString("value"), json.getString("fromEnv"), json.getString("fromFile"));
    }

    @Override
    public String toString() {
        return "JobSpec[" + pipeId + " " + name + ", " + tables.size() + " tables, mode " + replicationMode + "]";
    }
}
