-- A pipe's rows written per interval of ${step_ms_number} milliseconds since a time, by operation, by commit time,
-- and the longest a change committed in the interval waited: from the cluster time of a sync's oldest change to
-- the sync's commit.
SELECT
    intDiv(`committed_ms`, ${step_ms_number}) * ${step_ms_number} AS `interval_ms`,
    sum(`snapshot`) AS `interval_snapshot`,
    sum(`inserts`) AS `interval_inserts`,
    sum(`updates`) AS `interval_updates`,
    sum(`replaces`) AS `interval_replaces`,
    sum(`deletes`) AS `interval_deletes`,
    max(if(`first_version` = 0, 0, greatest(`committed_ms` / 1000 - toUInt32(`changes_from`), 0)))
        AS `interval_lag_seconds`
FROM `${database}`.`${table}` FINAL
WHERE `pipe_id` = ${pipe_literal} AND `committed_at` >= toDateTime(${since_seconds_number})
    AND `committed_ms` >= ${since_ms_number}
GROUP BY `interval_ms`
ORDER BY `interval_ms`
FORMAT JSONEachRow
