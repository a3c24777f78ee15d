-- A pipe's newest syncs committed since a time, each with its tables' rows by operation (newest first).
SELECT
    `job_id`,
    `checkpoint_id`,
    max(`table_committed_ms`) AS `sync_committed_ms`,
    sum(`table_write_ms`) AS `sync_write_ms`,
    sum(`table_bytes`) AS `sync_bytes`,
    groupArray(`table`) AS `tables`,
    groupArray(`table_snapshot`) AS `snapshots`,
    groupArray(`table_inserts`) AS `inserts`,
    groupArray(`table_updates`) AS `updates`,
    groupArray(`table_replaces`) AS `replaces`,
    groupArray(`table_deletes`) AS `deletes`,
    groupArray(`table_mismatches`) AS `mismatches`
FROM
(
    SELECT
        `job_id`,
        `checkpoint_id`,
        `table`,
        max(`committed_ms`) AS `table_committed_ms`,
        sum(`write_ms`) AS `table_write_ms`,
        sum(`bytes`) AS `table_bytes`,
        sum(`snapshot`) AS `table_snapshot`,
        sum(`inserts`) AS `table_inserts`,
        sum(`updates`) AS `table_updates`,
        sum(`replaces`) AS `table_replaces`,
        sum(`deletes`) AS `table_deletes`,
        sum(`mismatches`) AS `table_mismatches`
    FROM `${database}`.`${table}` FINAL
    WHERE `pipe_id` = ${pipe_literal} AND `committed_at` >= toDateTime(${since_seconds_number})
        AND `committed_ms` >= ${since_ms_number}
    GROUP BY `job_id`, `checkpoint_id`, `table`
)
GROUP BY `job_id`, `checkpoint_id`
ORDER BY `sync_committed_ms` DESC, `checkpoint_id` DESC
LIMIT ${limit_number}
FORMAT JSONEachRow
