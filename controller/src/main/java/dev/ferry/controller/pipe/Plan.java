package dev.ferry.controller.pipe;

import java.util.List;

/**
 * The one thing a pipe needs next, as {@link Planner} decides it from the spec, the status and the observed job: the
 * reconciler carries it out, and the lifecycle state shown to users is derived from it ({@link Lifecycle}). Plans
 * hold what was decided, never how to do it.
 */
public sealed interface Plan {

    /** Whether the reconciler goes on to the next plan in the same step once this one is done. */
    default boolean continues() {
        return false;
    }

    /** Why a job is stopped with a savepoint. */
    enum StopReason {
        /** the user paused the pipe */
        PAUSE,
        /** the spec changed in a way the job must restart for ({@link SpecChanges#needRestart()}) */
        CHANGE,
        /** a whole-pipe resync has loaded its {@code _resync} tables: they are swapped in while the job is stopped */
        SWAP_RESYNC,
        /** tables resynced on their own are loaded: their {@code _resync} tables are swapped in */
        SWAP_TABLES,
        /** a resync of the whole pipe was asked while the job stopped for something else: it starts once stopped */
        RESYNC
    }

    /** Where a submitted job starts from, and why it is submitted. */
    enum Start {
        /** a paused pipe resumes from its savepoint */
        RESUME,
        /** a stopped job starts again with the spec's changes */
        RESTART,
        /** the cluster no longer knows the job: it goes on from its newest retained checkpoint */
        LOST,
        /** the job ended by itself although it streams changes: it goes on from its newest retained checkpoint */
        ENDED
    }

    /** What the pipe waits for when nothing is to be done now. */
    enum Waiting {
        /** nothing can be done until a resync is asked for */
        FAILED,
        /** paused before its first job: nothing runs until resume */
        PAUSED_BEFORE_START,
        /** paused: its job is stopped at a savepoint until resume */
        PAUSED,
        /** a snapshot pipe whose load is complete */
        COMPLETED,
        /** the job runs as the spec asks: its health tells the rest */
        RUNNING
    }

    /** How much of the spec a plan that waits has applied: none, its generation, or the whole spec. */
    enum Applied {
        NOTHING,
        GENERATION,
        SPEC
    }

    /** Make the Flink cluster and the job jar ready. */
    record Provision() implements Plan {
    }

    /** The first setup: database, tables, the change stream's start and the collections' sizes, then the job. */
    record SetUp() implements Plan {
    }

    /**
     * A Failed pipe whose resync was asked for starts again: from its setup when it never ran a job
     * ({@code fromSetup}), else with a resync of the whole pipe.
     */
    record Recover(boolean fromSetup) implements Plan {
    }

    /** A resync of the whole pipe: its job (if {@code jobRuns}) is cancelled and a fresh one loads everything. */
    record Resync(boolean jobRuns) implements Plan {
    }

    /** Stop the job with a savepoint, for {@code reason}; {@code tables}: those swapped in after (SWAP_TABLES). */
    record Stop(StopReason reason, List<String> tables) implements Plan {

        public Stop {
            tables = List.copyOf(tables);
        }

        public Stop(StopReason reason) {
            this(reason, List.of());
        }
    }

    /** A stop with a savepoint is under way: look at the savepoint, try again or fall back. */
    record AwaitStop(StopReason reason) implements Plan {
    }

    /** The cluster lost the job while a stop was wanted: the pipe stops at the job's newest position instead. */
    record SuspendLost(StopReason reason) implements Plan {
    }

    /** Swap the loaded {@code _resync} tables in: every table ({@code whole}) or those named. */
    record Swap(boolean whole, List<String> tables) implements Plan {

        public Swap {
            tables = List.copyOf(tables);
        }

        @Override
        public boolean continues() {
            return true;
        }
    }

    /** Create the tables added and the {@code _resync} tables of those resynced on their own. */
    record SetUpTables(SpecChanges changes) implements Plan {

        @Override
        public boolean continues() {
            return true;
        }
    }

    /** Submit the job of the spec. */
    record Submit(Start start) implements Plan {
    }

    /** A snapshot pipe loaded in full while stopped: nothing is left to run. */
    record Complete() implements Plan {
    }

    /** The pipe cannot go on: record why and, if it may still run ({@code cancelJob}), cancel its job. */
    record Fail(String reason, boolean cancelJob) implements Plan {
    }

    /** Nothing to do but wait for {@code what}; {@code applied}: how much of the spec that settles. */
    record Wait(Waiting what, Applied applied) implements Plan {
    }

    /**
     * The job is not seen at the moment (the cluster has not known it for a few seconds): nothing is done until it
     * is seen again or counts as lost; {@code then} is what would be done, and what users are shown meanwhile.
     */
    record AwaitJob(Plan then) implements Plan {
    }
}
