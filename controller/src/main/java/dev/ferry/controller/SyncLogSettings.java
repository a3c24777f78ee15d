package dev.ferry.controller;

import dev.ferry.common.sql.SyncLogTable;

/**
 * Where every pipe's job logs its syncs, on the pipe's destination server, and for how many days the log keeps a
 * row (0: for ever; only servers with table TTLs, ClickHouse 19.6 and newer, expire rows). Each load's totals are
 * kept whatever the TTL.
 */
public record SyncLogSettings(SyncLogTable table, int ttlDays) {

    public static final SyncLogSettings DEFAULT = new SyncLogSettings(SyncLogTable.DEFAULT, 30);

    public SyncLogSettings {
        if (ttlDays < 0) {
            throw new IllegalArgumentException("the sync log's TTL is 0 (keep for ever) or a number of days");
        }
    }
}
