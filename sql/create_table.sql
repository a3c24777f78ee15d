-- One destination table per mapped collection, in ClickPipes' schema so that users' queries carry over:
--   SELECT ... FROM `db`.`table` FINAL WHERE _peerdb_is_deleted = 0
-- ${doc_type}:       JSON where the server has it and docColumnType allows, otherwise String
-- ${synced_at_type}: DateTime64(9) where the server has it, otherwise DateTime
-- A change is a new row; ReplacingMergeTree keeps the row with the highest _peerdb_version per _id, and a
-- delete is a row with _peerdb_is_deleted = 1.
CREATE TABLE IF NOT EXISTS `${database}`.`${table}`
(
    `_id`                String,
    `doc`                ${doc_type},
    `_peerdb_synced_at`  ${synced_at_type} DEFAULT now(),
    `_peerdb_version`    Int64,
    `_peerdb_is_deleted` Int8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(`_peerdb_version`)
ORDER BY `_id`
