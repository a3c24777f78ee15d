package dev.ferry.job.cdc;

import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.bson.BsonDocument;

import dev.ferry.common.JobSpec;
import dev.ferry.common.mongo.WatchedNamespaces;
import dev.ferry.job.row.TableRows;

/**
 * The collections a pipe replicates and the table each one goes to, with how each table's rows are made (fields
 * left out, typed columns) and whether it keeps rows whose documents were deleted.
 */
public final class WatchedCollections implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, String> tableByNamespace;
    private final Map<String, TableRows> rowsByTable;
    private final Set<String> tablesKeepingDeletes;

    public WatchedCollections(Map<String, String> tableByNamespace) {
        this(tableByNamespace, Map.of(), Set.of());
    }

    public WatchedCollections(Map<String, String> tableByNamespace, Map<String, TableRows> rowsByTable,
                              Set<String> tablesKeepingDeletes) {
        this.tableByNamespace = new LinkedHashMap<>(tableByNamespace);
        this.rowsByTable = new HashMap<>(rowsByTable);
        this.tablesKeepingDeletes = new HashSet<>(tablesKeepingDeletes);
    }

    /** The collections of a job's spec. */
    public static WatchedCollections of(JobSpec spec) {
        Map<String, TableRows> rows = new HashMap<>();
        Set<String> keepingDeletes = new HashSet<>();
        for (JobSpec.Table table : spec.tables()) {
            rows.put(table.table(), TableRows.of(table));
            if (table.keepDeletes()) {
                keepingDeletes.add(table.table());
            }
        }
        return new WatchedCollections(spec.tableByNamespace(), rows, keepingDeletes);
    }

    /** How documents become rows of {@code table}: which fields they leave out, which typed columns they fill. */
    public TableRows rowsOf(String table) {
        TableRows rows = rowsByTable.get(table);
        return rows != null ? rows : TableRows.plain(table);
    }

    /** Whether a delete leaves {@code table}'s row as it was. */
    public boolean keepsDeletes(String table) {
        return tablesKeepingDeletes.contains(table);
    }

    /** The table of the collection {@code db.coll}, or null when the pipe does not replicate it. */
    public String tableOf(String db, String coll) {
        return tableByNamespace.get(db + "." + coll);
    }

    /** A {@code $match} stage that keeps only the changes of the watched collections. */
    public BsonDocument matchStage() {
        return WatchedNamespaces.matchStage(tableByNamespace.keySet());
    }
}
