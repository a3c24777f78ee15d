package dev.ferry.controller.verify;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** How far a running verification is, per table: what it reads now, and rows read out of the rows to read. */
public final class VerifyProgress {

    /** One table's progress as the API shows it. */
    public record Table(String targetTable, String phase, long rowsRead, long rowsToRead) {
    }

    private final Map<String, Table> tables = new ConcurrentHashMap<>();
    private final List<String> order;

    public VerifyProgress(List<String> tables) {
        this.order = List.copyOf(tables);
        tables.forEach(table -> this.tables.put(table, new Table(table, "waiting", 0, 0)));
    }

    void update(String table, String phase, AtomicLong read, long toRead) {
        tables.put(table, new Table(table, phase, read.get(), toRead));
    }

    public List<Table> tables() {
        return order.stream().map(tables::get).toList();
    }
}
