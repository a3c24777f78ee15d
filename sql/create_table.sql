-- One destination table per mapped collection, in ClickPipes' schema so that users' queries carry over:
--   SELECT ... FROM `db`.`table` FINAL WHERE _peerdb_is_deleted = 0
-- ${doc_type}:       JSON where the server has it and docColumnType allows, otherwise String
-- ${synced_at_type}: DateTime64(9) where the server has it, otherwise DateTime
-- ${typed_columns_clause}: the mapping's typed columns, each ",\n    `name` Type" (empty without them); after
--                   ferry's own columns, so that a column added later with ALTER TABLE lands in the same place
-- ${partition_clause}: "PARTITION BY <expression>" and a line break, or empty
-- ${order_by_clause}: `_id`, or the mapping's sorting key ending with `_id`
-- ${settings_clause}: "SETTINGS name = value, ..." or empty
-- A change is a new row; ReplacingMergeTree keeps the row with the highest _peerdb_version per sorting key, and a
-- delete is a row with _peerdb_is_deleted = 1.
CREATE TABLE IF NOT EXISTS `${database}`.`${table}`
(
    `_id`                String,
    `doc`                ${doc_type},
    `_peerdb_synced_at`  ${synced_at_type} DEFAULT now(),
    `_peerdb_version`    Int64,
    `_peerdb_is_deleted` Int8 DEFAULT 0${typed_columns_clause}
)
ENGINE = ReplacingMergeTree(`_peerdb_version`)
${partition_clause}ORDER BY ${order_by_clause}
${settings_clause}
