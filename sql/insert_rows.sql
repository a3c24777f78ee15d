-- The job's batched insert into a destination table, one row per change; the server fills _peerdb_synced_at.
INSERT INTO `${database}`.`${table}` (`_id`, `doc`, `_peerdb_version`, `_peerdb_is_deleted`) VALUES (?, ?, ?, ?)
