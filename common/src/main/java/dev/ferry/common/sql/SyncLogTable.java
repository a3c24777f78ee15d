package dev.ferry.common.sql;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Where the sync log lives (a database and a table on each pipe's destination server) and every statement about
 * it, rendered from {@code sql/}: its tables (the log, each load's totals and the materialized view between them),
 * the columns the job writes, and the reads of the controller. The job writes it, the controller reads it, and
 * users query it with SQL (see {@code sql/create_sync_log.sql} for its columns).
 */
public record SyncLogTable(String database, String table) implements Serializable {

    /** Where the controller puts it unless told otherwise. */
    public static final SyncLogTable DEFAULT = new SyncLogTable("ferry", "sync_log");

    /** The log's columns the job fills, in the order of its RowBinary rows; {@code committed_at} takes its default. */
    public static final List<String> WRITTEN_COLUMNS = List.of("pipe_id", "pipe", "job_id", "checkpoint_id", "writer",
        "table", "load_id", "committed_ms", "snapshot", "inserts", "updates", "replaces", "deletes", "bytes",
        "mismatches", "mismatch_example", "write_ms", "first_version", "last_version", "changes_from", "changes_to",
        "ranges_done", "ranges");

    public SyncLogTable {
        SqlTemplate.quotedName(database, table);
    }

    /** {@code database.table}, as the controller's option takes it. */
    public static SyncLogTable parse(String qualified) {
        int dot = qualified.indexOf('.');
        if (dot <= 0 || dot == qualified.length() - 1) {
            throw new IllegalArgumentException("'" + qualified + "' is not database.table (ferry.sync_log, say)");
        }
        return new SyncLogTable(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    /** The table of each load's totals, kept as the log is written. */
    public String totals() {
        return table + "_totals";
    }

    /** The materialized view that feeds the totals. */
    public String view() {
        return table + "_totals_mv";
    }

    /** {@code `database`.`table`}, for the job's inserts. */
    public String quotedName() {
        return SqlTemplate.quotedName(database, table);
    }

    /**
     * The statements that create the log where it is missing: its database, the log (with rows expiring after
     * {@code ttlDays} when that is above 0: only servers with table TTLs take it), the totals and their view.
     */
    public List<String> createStatements(int ttlDays) {
        String ttl = ttlDays > 0 ? "TTL `committed_at` + toIntervalDay(" + ttlDays + ")" : "";
        return List.of(
            SqlTemplate.load("create_database").render(Map.of("database", database)),
            SqlTemplate.load("create_sync_log").render(Map.of("database", database, "table", table,
                "ttl_clause", ttl)),
            SqlTemplate.load("create_sync_totals").render(Map.of("database", database, "totals", totals())),
            SqlTemplate.load("create_sync_totals_view").render(Map.of("database", database, "table", table,
                "totals", totals(), "view", view())));
    }

    /** How many rows a writer's sync has in the log already (0 or more): the committer's check before it writes. */
    public String writtenQuery(String pipeId, String jobId, long checkpointId, String writer) {
        return SqlTemplate.load("sync_log_written").render(Map.of("database", database, "table", table,
            "pipe_literal", pipeId, "job_literal", jobId, "checkpoint_number", Long.toString(checkpointId),
            "writer_literal", writer));
    }

    /** A pipe's totals per table and load, as JSON rows. */
    public String totalsQuery(String pipeId) {
        return SqlTemplate.load("sync_totals").render(Map.of("database", database, "totals", totals(),
            "pipe_literal", pipeId));
    }

    /** A pipe's newest {@code limit} syncs committed since {@code sinceMillis}, as JSON rows, newest first. */
    public String historyQuery(String pipeId, long sinceMillis, int limit) {
        return SqlTemplate.load("sync_history").render(Map.of("database", database, "table", table,
            "pipe_literal", pipeId, "since_seconds_number", Long.toString(Math.floorDiv(sinceMillis, 1000)),
            "since_ms_number", Long.toString(sinceMillis), "limit_number", Integer.toString(limit)));
    }

    /** A pipe's rows per interval of {@code stepMillis} since {@code sinceMillis}, by operation, as JSON rows. */
    public String throughputQuery(String pipeId, long sinceMillis, long stepMillis) {
        return SqlTemplate.load("sync_throughput").render(Map.of("database", database, "table", table,
            "pipe_literal", pipeId, "since_seconds_number", Long.toString(Math.floorDiv(sinceMillis, 1000)),
            "since_ms_number", Long.toString(sinceMillis), "step_ms_number", Long.toString(stepMillis)));
    }

    @Override
    public String toString() {
        return database + "." + table;
    }
}
