package dev.ferry.job.clickhouse;

import java.io.Serializable;
import java.util.List;

/** Where a table's rows are inserted: the table's quoted name ({@code `database`.`table`}) and its columns' names. */
record InsertTarget(String table, List<String> columns) implements Serializable {

    InsertTarget {
        columns = List.copyOf(columns);
    }
}
