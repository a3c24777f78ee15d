package dev.ferry.controller.verify;

import java.util.List;

/**
 * What {@code verify} found: per table, both sides' counts, how many ids are missing from ClickHouse, extra in it,
 * or different, and the first few of each with both versions. A pipe that keeps deleted documents' rows
 * ({@code excludedOperations: ["delete"]}) has them counted as {@code keptDeletes}, not as extra.
 */
public record VerifyReport(String pipe, boolean equal, List<Table> tables) {

    public record Table(String targetTable, String source, boolean equal, long mongodbDocuments, long clickhouseRows,
                        long missing, long extra, long keptDeletes, long different, List<Example> missingIds,
                        List<Example> extraIds, List<Example> differentIds) {
    }

    /** One id that differs, with the document as MongoDB has it and as ClickHouse has it (null where absent). */
    public record Example(String id, String mongodb, String clickhouse) {
    }
}
