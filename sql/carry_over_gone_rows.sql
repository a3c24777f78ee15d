-- Before a resynced table replaces the original of a pipe that keeps deleted documents' rows
-- (settings.excludedOperations: ["delete"]): every row of the original whose document the fresh snapshot did not
-- find (it is gone from MongoDB, soft-deleted or kept) is copied over, so that the resync loses none of them.
INSERT INTO `${database}`.`${resynced}`
SELECT * FROM `${database}`.`${original}` FINAL
WHERE _id NOT IN (SELECT _id FROM `${database}`.`${resynced}`)
