-- A table of the pipe that is no longer wanted: a _resync table left by an earlier attempt, a replaced original,
-- or every table of a pipe deleted with dropTables=true.
DROP TABLE IF EXISTS `${database}`.`${table}`
