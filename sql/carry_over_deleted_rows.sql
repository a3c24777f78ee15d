-- Before a resynced table replaces its original: the original's soft-deleted rows that the fresh snapshot could
-- not know about (their documents are gone from MongoDB) are copied over, so that deletes stay visible.
INSERT INTO `${database}`.`${resynced}`
SELECT * FROM `${database}`.`${original}` FINAL
WHERE _peerdb_is_deleted = 1 AND _id NOT IN (SELECT _id FROM `${database}`.`${resynced}`)
