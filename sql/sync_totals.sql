-- A pipe's totals per table and load (create_sync_totals.sql).
SELECT
    `table`,
    `load_id`,
    countMerge(`syncs_state`) AS `total_syncs`,
    sumMerge(`snapshot_state`) AS `total_snapshot`,
    sumMerge(`inserts_state`) AS `total_inserts`,
    sumMerge(`updates_state`) AS `total_updates`,
    sumMerge(`replaces_state`) AS `total_replaces`,
    sumMerge(`deletes_state`) AS `total_deletes`,
    sumMerge(`bytes_state`) AS `total_bytes`,
    sumMerge(`mismatches_state`) AS `total_mismatches`,
    argMaxMerge(`mismatch_example_state`) AS `newest_mismatch_example`,
    sumMerge(`ranges_done_state`) AS `total_ranges_done`,
    maxMerge(`ranges_state`) AS `load_ranges`,
    maxMerge(`last_synced_ms_state`) AS `newest_synced_ms`,
    maxMerge(`last_version_state`) AS `newest_version`
FROM `${database}`.`${totals}`
WHERE `pipe_id` = ${pipe_literal}
GROUP BY `table`, `load_id`
FORMAT JSONEachRow
