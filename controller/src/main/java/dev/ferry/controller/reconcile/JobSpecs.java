package dev.ferry.controller.reconcile;

import java.util.List;

import dev.ferry.common.JobSpec;
import dev.ferry.common.Versions;
import dev.ferry.common.sql.SyncLogTable;
import dev.ferry.controller.connect.ClickHouseVersion;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.TableMapping;

/** The spec a pipe's job runs with, made from what the user asked for and what setup and resyncs recorded. */
final class JobSpecs {

    private JobSpecs() {
    }

    static JobSpec of(String pipeId, PipeSpec spec, PipeStatus status, SyncLogTable syncLog) {
        PipeStatus.Setup setup = status.setup();
        String suffix = status.resync() == PipeStatus.WholeResync.LOADING ? PipeStatus.RESYNC_SUFFIX : "";
        // every setup records its server's version; the oldest types stand in for a catalog from before that
        ClickHouseVersion columnsVersion = TableLayouts.setupVersion(status, ClickHouseVersion.parse("18.16"));
        List<JobSpec.Table> tables = spec.tableMappings().stream().map(mapping -> table(mapping, status)
            .withExclusions(mapping.excludeFields(), spec.settings().keepsDeletes())
            .withColumns(TableLayouts.jobColumns(mapping, columnsVersion), mapping.keyColumns())).toList();
        // passwords go as they were given: a reference is resolved by the job where it runs
        return new JobSpec(pipeId, spec.name(),
            new JobSpec.Source(spec.source().uri(), spec.source().readPreference(),
                spec.source().credentials().username(), spec.source().credentials().password(),
                spec.settings().readsPostImages()),
            new JobSpec.Destination(spec.destination().url(), spec.destination().database(),
                orEmpty(spec.destination().credentials().username()), spec.destination().credentials().password(),
                compressedResponses(setup), "JSON".equals(setup.docColumnType())),
            tables, spec.settings().replicationMode().forJob(), spec.settings().pullBatchSize(),
            spec.settings().syncIntervalSeconds(), new JobSpec.Snapshot(spec.settings().snapshotParallelTables(),
                spec.settings().snapshotParallelism(), spec.settings().snapshotNumRowsPerPartition()),
            setup.startAtOperationTime(), suffix, null, syncLog);
    }

    /** The ClickHouse tables the pipe's current job writes to. */
    static List<String> destinationTables(String pipeId, PipeStatus status) {
        JobSpec job = of(pipeId, status.lastReconciledSpec(), status, SyncLogTable.DEFAULT);
        return job.tables().stream().map(job::destinationOf).toList();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** Compressed responses only from a server seen to answer them. */
    private static boolean compressedResponses(PipeStatus.Setup setup) {
        return setup.clickhouseVersion() != null
            && ClickHouseVersion.parse(setup.clickhouseVersion()).answersCompressedHttp();
    }

    private static JobSpec.Table table(TableMapping mapping, PipeStatus status) {
        PipeStatus.TableState own = status.tables().get(mapping.targetTable());
        if (own == null) {
            return new JobSpec.Table(mapping.sourceDatabaseName(), mapping.sourceCollection(), mapping.targetTable());
        }
        long startAt = own.startAtOperationTime();
        long version = own.generation() == 0 ? -1 : Versions.snapshotVersion(startAt >>> 32, startAt & 0xffffffffL);
        return new JobSpec.Table(mapping.sourceDatabaseName(), mapping.sourceCollection(), mapping.targetTable(),
            version, own.generation(), own.resync() == null ? "" : PipeStatus.RESYNC_SUFFIX, !own.loaded())
            .withLoadId(own.loadId());
    }
}
