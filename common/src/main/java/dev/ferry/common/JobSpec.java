package dev.ferry.common;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;

/**
 * What one pipe's job does, as the controller writes it to a JSON file for the job to read: where to read,
 * where to write, which collections, how to batch, and from which cluster time changes are wanted.
 * {@code tableSuffix} is appended to every destination table ({@code _resync} while a resync loads);
 * {@code clickhouseCompression} says whether the destination server may be asked for compressed responses.
 */
public record JobSpec(String pipeId, String name, String mongoUri, String clickhouseUrl, String clickhouseDatabase,
                       String clickhouseUser, String clickhousePassword, List<Table> tables, String replicationMode,
                       int pullBatchSize, int syncIntervalSeconds, int snapshotParallelism,
                       long startAtOperationTime, String tableSuffix, boolean clickhouseCompression)
    implements Serializable {

    /** The job's main class in the job jar, which the controller asks Flink to run. */
    public static final String ENTRY_CLASS = "dev.ferry.job.FerryJob";

    /**
     * One replicated collection and its destination table. A table added to a running pipe has a snapshot of its
     * own: {@code snapshotVersion} (or -1 for the pipe's) and {@code generation}, which names its snapshot operator.
     * A table resynced on its own is loaded into the table named with {@code suffix} ({@code _resync}) until it
     * is swapped in.
     */
    public record Table(String database, String collection, String table, long snapshotVersion, int generation,
                        String suffix) implements Serializable {

        public Table(String database, String collection, String table) {
            this(database, collection, table, -1, 0, "");
        }
    }

    /** The ClickHouse table the rows of {@code table} go to now. */
    public String destinationOf(Table table) {
        return table.table() + tableSuffix + table.suffix();
    }

    public boolean snapshots() {
        return !"cdc_only".equals(replicationMode);
    }

    public boolean streamsChanges() {
        return !"snapshot".equals(replicationMode);
    }

    /** Each replicated collection's namespace ({@code db.collection}) and its table, in the order of the tables. */
    public Map<String, String> tableByNamespace() {
        Map<String, String> byNamespace = new LinkedHashMap<>();
        tables.forEach(t -> byNamespace.put(t.database() + "." + t.collection(), t.table()));
        return byNamespace;
    }

    public static JobSpec read(Path file) throws IOException {
        return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static JobSpec fromJson(String json) {
        Document d = Document.parse(json);
        List<Table> tables = new ArrayList<>();
        for (Document t : d.getList("tables", Document.class)) {
            tables.add(new Table(t.getString("database"), t.getString("collection"), t.getString("table"),
                ((Number) t.get("snapshotVersion", -1L)).longValue(), t.get("generation", 0), t.get("suffix", "")));
        }
        return new JobSpec(d.getString("pipeId"), d.getString("name"), d.getString("mongoUri"),
            d.getString("clickhouseUrl"), d.getString("clickhouseDatabase"), d.getString("clickhouseUser"),
            d.getString("clickhousePassword"), tables, d.getString("replicationMode"),
            d.getInteger("pullBatchSize"), d.getInteger("syncIntervalSeconds"), d.getInteger("snapshotParallelism"),
            ((Number) d.get("startAtOperationTime")).longValue(), d.get("tableSuffix", ""),
            d.get("clickhouseCompression", false));
    }

    public String toJson() {
        List<Document> tableDocs = tables.stream().map(t -> new Document("database", t.database())
            .append("collection", t.collection()).append("table", t.table())
            .append("snapshotVersion", t.snapshotVersion()).append("generation", t.generation())
            .append("suffix", t.suffix())).toList();
        return new Document("pipeId", pipeId).append("name", name).append("mongoUri", mongoUri)
            .append("clickhouseUrl", clickhouseUrl).append("clickhouseDatabase", clickhouseDatabase)
            .append("clickhouseUser", clickhouseUser).append("clickhousePassword", clickhousePassword)
            .append("tables", tableDocs).append("replicationMode", replicationMode)
            .append("pullBatchSize", pullBatchSize).append("syncIntervalSeconds", syncIntervalSeconds)
            .append("snapshotParallelism", snapshotParallelism)
            .append("startAtOperationTime", startAtOperationTime).append("tableSuffix", tableSuffix)
            .append("clickhouseCompression", clickhouseCompression).toJson();
    }

    @Override
    public String toString() {
        return "JobSpec[" + pipeId + " " + name + ", " + tables.size() + " tables, mode " + replicationMode + "]";
    }
}
