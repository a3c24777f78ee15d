-- Each load's totals over the sync log, kept by ClickHouse as the log is written (a materialized view,
-- create_sync_totals_view.sql) and never expired: the counts ferry shows per table since it was last loaded, even
-- once the log's rows have passed their TTL. Each column is a state of its aggregate over the log's column of the
-- name before _state: read them with countMerge, sumMerge, maxMerge, argMaxMerge (sync_totals.sql).
CREATE TABLE IF NOT EXISTS `${database}`.`${totals}`
(
    `pipe_id`                 String,
    `table`                   String,
    `load_id`                 UInt64,
    `syncs_state`             AggregateFunction(count),
    `snapshot_state`          AggregateFunction(sum, UInt64),
    `inserts_state`           AggregateFunction(sum, UInt64),
    `updates_state`           AggregateFunction(sum, UInt64),
    `replaces_state`          AggregateFunction(sum, UInt64),
    `deletes_state`           AggregateFunction(sum, UInt64),
    `bytes_state`             AggregateFunction(sum, UInt64),
    `mismatches_state`        AggregateFunction(sum, UInt64),
    `mismatch_example_state`  AggregateFunction(argMax, String, UInt64),
    `ranges_done_state`       AggregateFunction(sum, UInt32),
    `ranges_state`            AggregateFunction(max, UInt32),
    `last_synced_ms_state`    AggregateFunction(max, UInt64),
    `last_version_state`      AggregateFunction(max, Int64)
)
ENGINE = AggregatingMergeTree()
ORDER BY (`pipe_id`, `table`, `load_id`)
