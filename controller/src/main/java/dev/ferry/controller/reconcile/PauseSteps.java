package dev.ferry.controller.reconcile;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ferry.controller.flink.FlinkRestClient;
import dev.ferry.controller.flink.FlinkSession;
import dev.ferry.controller.flink.RetainedCheckpoints;
import dev.ferry.controller.pipe.Pipe;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.StateDerivation;

/**
 * Stopping a pipe's job so that it can go on later from where it stopped: for a pause, and for every stop and
 * start that applies a change (Modifying, the swaps of a resync).
 */
final class PauseSteps {

    private static final Logger log = LoggerFactory.getLogger(PauseSteps.class);

    private final FlinkSession flink;
    private final RetainedCheckpoints checkpoints;
    private final PipeStatuses statuses;

    PauseSteps(FlinkSession flink, RetainedCheckpoints checkpoints, PipeStatuses statuses) {
        this.flink = flink;
        this.checkpoints = checkpoints;
        this.statuses = statuses;
    }

    /**
     * One step of a pause: trigger stop-with-savepoint, then wait for it; when it fails, fall back to the newest
     * retained checkpoint, and when there is none either, keep the job running and say so.
     */
    void pause(Pipe pipe, StateDerivation.Observation observation) {
        PipeStatus.Pause pause = pipe.status().pause();
        String jobId = pipe.status().flinkJobId();
        boolean jobActive = observation.job().map(job -> !job.isTerminal()).orElse(false);
        if (pause.resumeFrom() != null) {
            // the savepoint is recorded; the job finishes by itself
            return;
        }
        FlinkRestClient client = flink.client();
        if (jobActive && pause.trigger() == null) {
            String trigger = client.stopWithSavepoint(jobId);
            log.info("pipe {} ({}): stopping job {} with a savepoint", pipe.request().name(), pipe.id(), jobId);
            statuses.save(pipe, pipe.status().withPause(pause.triggered(trigger)));
            return;
        }
        if (pause.trigger() != null && observation.job().isPresent()) {
            FlinkRestClient.SavepointStatus savepoint = client.savepoint(jobId, pause.trigger());
            if (savepoint.inProgress()) {
                return;
            }
            if (savepoint.location() != null) {
                statuses.save(pipe, pipe.status().withPause(pause.stoppedAt(savepoint.location(), null)));
                return;
            }
            fallBackToCheckpoint(pipe, "the savepoint failed: " + savepoint.failure(), jobActive);
            return;
        }
        if (!jobActive) {
            fallBackToCheckpoint(pipe, "the job stopped before its savepoint was recorded", false);
        }
    }

    private void fallBackToCheckpoint(Pipe pipe, String why, boolean jobActive) {
        String jobId = pipe.status().flinkJobId();
        Optional<String> checkpoint = latestCheckpoint(jobId);
        if (checkpoint.isPresent()) {
            if (jobActive) {
                flink.client().cancel(jobId);
            }
            statuses.save(pipe, pipe.status().withPause(pipe.status().pause().stoppedAt(checkpoint.get(),
                why + "; stopped at the newest checkpoint " + checkpoint.get() + " instead")));
        } else if (jobActive) {
            statuses.save(pipe, pipe.status().withPause(pipe.status().pause().abandoned("pause failed: " + why
                + " and no checkpoint was retained; the pipe keeps running, try again later")));
        } else {
            statuses.save(pipe, pipe.status().withPause(pipe.status().pause().stoppedAt(null, "stopped, but " + why
                + " and no checkpoint was retained: resuming loads the collections again from the start position")));
        }
    }
    Optional<String> latestCheckpoint(String jobId) {
        return checkpoints.latest(jobId).map(path -> path.toUri().toString());
    }
}
