-- Feeds each block written to the sync log into its totals (create_sync_totals.sql).
-- last_synced_ms: the newest sync that wrote rows; mismatch_example: the _id of the newest sync with mismatches.
CREATE MATERIALIZED VIEW IF NOT EXISTS `${database}`.`${view}` TO `${database}`.`${totals}`
AS SELECT
    `pipe_id`,
    `table`,
    `load_id`,
    countState() AS `syncs_state`,
    sumState(`snapshot`) AS `snapshot_state`,
    sumState(`inserts`) AS `inserts_state`,
    sumState(`updates`) AS `updates_state`,
    sumState(`replaces`) AS `replaces_state`,
    sumState(`deletes`) AS `deletes_state`,
    sumState(`bytes`) AS `bytes_state`,
    sumState(`mismatches`) AS `mismatches_state`,
    argMaxState(`mismatch_example`, if(`mismatches` > 0, `committed_ms`, 0)) AS `mismatch_example_state`,
    sumState(`ranges_done`) AS `ranges_done_state`,
    maxState(`ranges`) AS `ranges_state`,
    maxState(if(`snapshot` + `inserts` + `updates` + `replaces` + `deletes` > 0, `committed_ms`, 0))
        AS `last_synced_ms_state`,
    maxState(`last_version`) AS `last_version_state`
FROM `${database}`.`${table}`
GROUP BY `pipe_id`, `table`, `load_id`
