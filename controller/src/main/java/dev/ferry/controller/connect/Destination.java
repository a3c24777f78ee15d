package dev.ferry.controller.connect;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

import dev.ferry.common.sql.TableLayout;

/**
 * A pipe's destination database: what the controller asks of it. Every method throws a
 * {@link DestinationException} when the server does not do it.
 */
public interface Destination {

    /** The server's version, e.g. {@code 18.16}. */
    ClickHouseVersion version();

    /** Of these tables, those that exist and hold rows, with their row counts. */
    Map<String, Long> tablesWithRows(Collection<String> tables);

    /** Of these tables, those that do not exist. */
    List<String> missingTables(Collection<String> tables);

    void createDatabase();

    void createTable(String table, TableLayout layout);

    /** Adds those of {@code columns} the table does not have yet, at its end (a column added to a mapping). */
    void addMissingColumns(String table, List<TableLayout.Column> columns);

    /**
     * What the server says against {@code expression} as a partition expression over a table with these typed
     * {@code columns}; empty when it takes it (or it cannot be tried).
     */
    Optional<String> partitionProblem(String expression, List<TableLayout.Column> columns);

    /** Of these MergeTree setting names, the ones the server does not know. */
    List<String> unknownEngineSettings(Collection<String> names);

    void dropTable(String table);

    /**
     * Puts {@code <table><suffix>} in place of each table in one atomic rename, carrying the originals' soft-deleted
     * rows over first (and, with {@code keepDeletes}, every row whose document is gone: the pipe keeps deleted
     * documents' rows); safe to run again after an interruption.
     */
    void swapInResyncTables(List<String> tables, String suffix, boolean keepDeletes);

    /** The table's live row count ({@code FINAL}, not deleted). */
    long liveRowCount(String table);

    /** Streams the table's live rows (all, or those with {@code ids}) to {@code row} as ({@code _id}, doc text). */
    void liveRows(String table, List<String> ids, BiConsumer<String, String> row);
}
