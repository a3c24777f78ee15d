package dev.ferry.controller.reconcile;

import java.util.List;

import dev.ferry.common.JobSpec;
import dev.ferry.common.sql.TableLayout;
import dev.ferry.controller.connect.ClickHouseVersion;
import dev.ferry.controller.pipe.PipeSpec;
import dev.ferry.controller.pipe.PipeStatus;
import dev.ferry.controller.pipe.TableMapping;

/**
 * A mapping's table as ClickHouse and the job see it: the typed columns' types chosen by the server version
 * recorded at setup (so that tables created later and the job agree with the tables created then), the sorting key,
 * the partition expression and the settings.
 */
public final class TableLayouts {

    private TableLayouts() {
    }

    /** The layout of {@code table} (or of its {@code _resync} table) of {@code spec}. */
    static TableLayout of(PipeSpec spec, String table, String docType, String syncedAtType,
                          ClickHouseVersion columnsVersion) {
        TableMapping mapping = spec.mapping(table).orElseThrow();
        return new TableLayout(docType, syncedAtType, columns(mapping, columnsVersion), mapping.orderBy(),
            mapping.partitionBy(), mapping.engineSettings());
    }

    /** The mapping's typed columns with their types on a server of {@code version}. */
    public static List<TableLayout.Column> columns(TableMapping mapping, ClickHouseVersion version) {
        return mapping.columns().stream()
            .map(column -> new TableLayout.Column(column.name(), version.columnType(column.type()))).toList();
    }

    /** The typed columns the job fills, with the types their table has. */
    static List<JobSpec.Column> jobColumns(TableMapping mapping, ClickHouseVersion version) {
        return mapping.columns().stream()
            .map(column -> new JobSpec.Column(column.name(), column.path(), version.columnType(column.type())))
            .toList();
    }

    /** The version the pipe's tables were set up with; {@code current} for a pipe set up before it was recorded. */
    static ClickHouseVersion setupVersion(PipeStatus status, ClickHouseVersion current) {
        return status.setup() == null || status.setup().clickhouseVersion() == null ? current
            : ClickHouseVersion.parse(status.setup().clickhouseVersion());
    }
}
