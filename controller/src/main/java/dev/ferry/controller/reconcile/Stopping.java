package dev.ferry.controller.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.apache.flink.runtime.rest.messages.TriggerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.controller.flink.FlinkException;
import dev.ferry.controller.flink.FlinkService;
import dev.ferry.controller.flink.RetainedCheckpoints;
import dev.ferry.controller.flink.SavepointProgress;
import dev.ferry.controller.pipe.JobObservation;
import dev.ferry.controller.pipe.Phase;
import dev.ferry.controller.pipe.PipeStatus;

/**
 * Stopping a pipe's job with a savepoint, so that it can go on later from there: for a pause, and for every
 * restart that applies a change. A goal pursued until reached: a savepoint that fails for a reason that passes
 * (tasks still deploying or restarting, a checkpoint in flight) is tried again after a growing pause; the newest
 * retained checkpoint stands in only when Flink cannot take a savepoint at all (the job ended, its savepoints
 * cannot be written, or they kept failing for {@link #GIVE_UP}).
 */
final class Stopping {

    /** How long savepoints may keep failing before a retained checkpoint stands in. */
    static final Duration GIVE_UP = Duration.ofMinutes(2);
    private static final Logger log = LoggerFactory.getLogger(Stopping.class);

    private final FlinkService flink;
    private final RetainedCheckpoints checkpoints;
    private final Clock clock;

    Stopping(FlinkService flink, RetainedCheckpoints checkpoints, Clock clock) {
        this.flink = flink;
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    /** Starts stopping the job of {@code base}; the trigger id is recorded before Flink is asked. */
    PipeStatus begin(Step step, PipeStatus base) {
        PipeStatus stopping = base.toBuilder().phase(Phase.STOPPING)
            .stop(PipeStatus.Stop.first(new TriggerId().toHexString(), clock.millis())).build();
        step.save(stopping);
        log.info("pipe {} ({}): stopping job {} with a savepoint", step.spec().name(), step.pipeId(),
            stopping.jobId());
        return trigger(step, stopping);
    }

    /** One look at the stop under way. */
    PipeStatus poll(Step step, PipeStatus status, JobObservation observation) {
        PipeStatus.Stop stop = status.stop();
        boolean ended = observation.lost() || observation.job().hasEnded();
        if (stop.savepoint() != null) {
            return ended ? stoppedAt(status, stop.savepoint(), null) : status;
        }
        SavepointProgress progress;
        try {
            progress = flink.savepoint(status.jobId(), stop.triggerId());
        } catch (FlinkException e) {
            if (e.problem() != FlinkException.Problem.NOT_FOUND) {
                throw e;
            }
            if (ended) {
                return stoppedEarly(status);
            }
            // Flink does not know the trigger: it was never sent (a retry, or a controller that died before
            // sending it); sending it under the same id is safe
            return trigger(step, status);
        }
        if (progress instanceof SavepointProgress.Completed completed) {
            return ended ? stoppedAt(status, completed.location(), null)
                : status.toBuilder().stop(stop.completedAt(completed.location())).build();
        }
        if (ended) {
            return stoppedEarly(status);
        }
        if (progress instanceof SavepointProgress.Failed failed) {
            return failedAttempt(step, status, failed.reason(), failed.canRetry());
        }
        return status;
    }

    /** The job ended before its savepoint was taken: it goes on from its newest checkpoint. */
    private PipeStatus stoppedEarly(PipeStatus status) {
        Optional<String> checkpoint = newestCheckpoint(status);
        String position = checkpoint.orElse(status.resumeFrom());
        return stoppedAt(status, position, "the job stopped before its savepoint was taken; " + (checkpoint
            .isPresent() ? "it goes on from its newest checkpoint " + position : position == null ? "no "
            + "checkpoint was retained: resuming loads the collections again from the start position"
            : "it goes on from " + position));
    }

    private PipeStatus trigger(Step step, PipeStatus status) {
        try {
            flink.stopWithSavepoint(status.jobId(), status.stop().triggerId());
            return status;
        } catch (FlinkException e) {
            // refused while the job is not running at the moment (still deploying, or restarting), or not answered:
            // an attempt that failed, tried again later
            return failedAttempt(step, status, e.getMessage(), true);
        }
    }

    /**
     * An attempt failed: try again after a growing pause under a new trigger id, or, when Flink cannot take a
     * savepoint at all and a checkpoint exists, cancel the job and go on from that checkpoint.
     */
    private PipeStatus failedAttempt(Step step, PipeStatus status, String reason, boolean canRetry) {
        PipeStatus.Stop stop = status.stop();
        long now = clock.millis();
        boolean givingUp = !canRetry || now - stop.firstAttemptMillis() >= GIVE_UP.toMillis();
        if (givingUp) {
            Optional<String> checkpoint = newestCheckpoint(status);
            if (checkpoint.isPresent()) {
                flink.cancel(status.jobId());
                log.info("job {}: no savepoint ({}); cancelled, to go on from checkpoint {}", status.jobId(), reason,
                    checkpoint.get());
                return stoppedAt(status, checkpoint.get(), "the savepoint failed (" + reason + "); stopped at the "
                    + "newest checkpoint " + checkpoint.get() + " instead");
            }
        }
        return status.toBuilder()
            .stop(stop.retried(new TriggerId().toHexString()))
            .retry(new PipeStatus.Retry("the savepoint failed: " + reason, stop.attempts(),
                now + Backoff.after(stop.attempts()).toMillis(), step.spec().generation()))
            .build();
    }

    private Optional<String> newestCheckpoint(PipeStatus status) {
        return checkpoints.latest(status.jobId())
            .or(() -> Optional.ofNullable(status.lastCheckpoint()).map(PipeStatus.Checkpoint::path));
    }

    private static PipeStatus stoppedAt(PipeStatus status, String position, String notice) {
        return status.toBuilder().phase(Phase.SUSPENDED).stop(null).resumeFrom(position).stopNotice(notice).build();
    }
}
