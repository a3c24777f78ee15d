-- The sync log: what each pipe's job made durable in ClickHouse, one row per table per sync. A sync is one
-- completed checkpoint of the job: its rows are in their tables before the checkpoint completes, and the job's
-- committers write these rows only once it has, so nothing is logged that a restore could replay. A committer
-- that commits a sync again (after a restore, or a retried insert) skips the rows the log has already: the key
-- (pipe, job, checkpoint, writer, table) is written once, and ReplacingMergeTree would keep one row per key anyway.
--   pipe_id, pipe          the pipe's id and name
--   job_id, checkpoint_id  the Flink job and the checkpoint that committed the sync
--   writer                 the sink subtask that wrote the rows (a job has one for changes, one per snapshot reader)
--   table, load_id         the destination table and its load: a resync of the table starts a new load
--   committed_ms           when the checkpoint was committed (milliseconds since the epoch); committed_at its
--                          DateTime
--   snapshot ... deletes   rows written, by operation
--   bytes                  the rows' size as sent (RowBinary)
--   mismatches             typed-column values that did not fit their types; mismatch_example one such _id
--   write_ms               time spent inserting the rows into ClickHouse
--   first_version, last_version, changes_from, changes_to
--                          the oldest and newest change the sync holds (_peerdb_version, and its cluster time)
--   ranges_done, ranges    snapshot ranges read to their end in this sync, and how many the load has (a table whose
--                          key columns move counts each range once per writer)
-- ${ttl_clause}: "TTL committed_at + INTERVAL N DAY" where the server has table TTLs (19.6 and newer), or empty
CREATE TABLE IF NOT EXISTS `${database}`.`${table}`
(
    `pipe_id`          String,
    `pipe`             String,
    `job_id`           String,
    `checkpoint_id`    UInt64,
    `writer`           String,
    `table`            String,
    `load_id`          UInt64,
    `committed_ms`     UInt64,
    `committed_at`     DateTime DEFAULT toDateTime(intDiv(committed_ms, 1000)),
    `snapshot`         UInt64,
    `inserts`          UInt64,
    `updates`          UInt64,
    `replaces`         UInt64,
    `deletes`          UInt64,
    `bytes`            UInt64,
    `mismatches`       UInt64,
    `mismatch_example` String,
    `write_ms`         UInt64,
    `first_version`    Int64,
    `last_version`     Int64,
    `changes_from`     DateTime,
    `changes_to`       DateTime,
    `ranges_done`      UInt32,
    `ranges`           UInt32
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(committed_at)
ORDER BY (`pipe_id`, `job_id`, `checkpoint_id`, `writer`, `table`)
${ttl_clause}
