package dev.ferry.bench;

import dev.ferry.testkit.clickhouse.ClickHouseHttp;

/** A destination table as the benchmark watches it fill. */
record Destination(ClickHouseHttp clickHouse, String database, String table) {

    /** Rows in the table, every version of a document counted; 0 while the table does not exist. */
    long rows() {
        return count("");
    }

    /** Rows with a version above {@code version}: the changes made after it. */
    long rowsAbove(long version) {
        return count(" WHERE _peerdb_version > " + version);
    }

    /** Rows in the table once merged: one per document, deleted or not. */
    long documents() {
        return Long.parseLong(clickHouse.value("SELECT count() FROM `" + database + "`.`" + table + "` FINAL"));
    }

    private long count(String where) {
        try {
            return Long.parseLong(clickHouse.value("SELECT count() FROM `" + database + "`.`" + table + "`" + where));
        } catch (ClickHouseHttp.ClickHouseException e) {
            return 0;
        }
    }
}
