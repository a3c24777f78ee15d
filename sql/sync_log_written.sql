-- Whether a sync's rows of one writer are in the log already: a committer asks before it writes them, so that a
-- sync committed again (after a restore, or after an insert whose answer was lost) is not counted twice.
SELECT count() FROM `${database}`.`${table}`
WHERE `pipe_id` = ${pipe_literal} AND `job_id` = ${job_literal} AND `checkpoint_id` = ${checkpoint_number}
    AND `writer` = ${writer_literal}
FORMAT TabSeparated
