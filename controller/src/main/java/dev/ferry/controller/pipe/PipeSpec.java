package dev.ferry.controller.pipe;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the user asked of a pipe, written only by the API (the operator's {@code spec}): where to read and write,
 * which collections, the settings, whether the job should run or be paused, and resyncs asked for, as nonces the
 * reconciler compares with those it has acted on. Every accepted change gives a new spec with the next
 * {@code generation}; the reconciler records in the status which generation it has applied.
 *
 * @param resyncNonce       incremented by each resync of the whole pipe
 * @param tableResyncNonces per target table, incremented by each resync of that table alone
 */
public record PipeSpec(long generation, String name, SourceSpec source, DestinationSpec destination,
                       List<TableMapping> tableMappings, PipeSettings settings, DesiredState desiredState,
                       long resyncNonce, Map<String, Long> tableResyncNonces) {

    public PipeSpec {
        tableMappings = List.copyOf(tableMappings);
        tableResyncNonces = tableResyncNonces == null ? Map.of() : Map.copyOf(tableResyncNonces);
    }

    /** A new pipe's spec: generation 1, running. */
    public static PipeSpec of(String name, SourceSpec source, DestinationSpec destination,
                              List<TableMapping> tableMappings, PipeSettings settings) {
        return new PipeSpec(1, name, source, destination, tableMappings, settings, DesiredState.RUNNING, 0, Map.of());
    }

    public Optional<TableMapping> mapping(String targetTable) {
        return tableMappings.stream().filter(mapping -> mapping.targetTable().equals(targetTable)).findFirst();
    }

    public List<String> targetTables() {
        return tableMappings.stream().map(TableMapping::targetTable).toList();
    }

    public long tableResyncNonce(String table) {
        return tableResyncNonces.getOrDefault(table, 0L);
    }

    public PipeSpec paused() {
        return next(tableMappings, settings, DesiredState.PAUSED, resyncNonce, tableResyncNonces);
    }

    public PipeSpec resumed() {
        return next(tableMappings, settings, DesiredState.RUNNING, resyncNonce, tableResyncNonces);
    }

    /** A resync of the whole pipe, which also runs it: a resynced pipe is loaded again and replicates. */
    public PipeSpec resynced() {
        return next(tableMappings, settings, DesiredState.RUNNING, resyncNonce + 1, tableResyncNonces);
    }

    public PipeSpec withTableResynced(String table) {
        return next(tableMappings, settings, desiredState, resyncNonce, resyncAsked(table));
    }

    /** The table resync nonces with one more resync of {@code table} asked for. */
    private Map<String, Long> resyncAsked(String table) {
        Map<String, Long> nonces = new HashMap<>(tableResyncNonces);
        nonces.merge(table, 1L, Long::sum);
        return nonces;
    }

    public PipeSpec withSettings(PipeSettings newSettings) {
        return next(tableMappings, newSettings, desiredState, resyncNonce, tableResyncNonces);
    }

    /** The same pipe with other tables; the nonces of tables no longer mapped are forgotten. */
    /**
     * {@code columns} added to the mapping of {@code targetTable}, and a resync of that table asked for: the resync
     * fills them in the rows written before.
     */
    public PipeSpec withColumnsAdded(String targetTable, List<TableMapping.ColumnMapping> columns) {
        List<TableMapping> mappings = tableMappings.stream().map(mapping -> mapping.targetTable().equals(targetTable)
            ? mapping.withColumnsAdded(columns) : mapping).toList();
        return next(mappings, settings, desiredState, resyncNonce, resyncAsked(targetTable));
    }

    public PipeSpec withTableMappings(List<TableMapping> mappings) {
        Map<String, Long> nonces = new HashMap<>(tableResyncNonces);
        nonces.keySet().retainAll(mappings.stream().map(TableMapping::targetTable).toList());
        return next(mappings, settings, desiredState, resyncNonce, nonces);
    }

    private PipeSpec next(List<TableMapping> mappings, PipeSettings newSettings, DesiredState desired, long resync,
                          Map<String, Long> tableResyncs) {
        return new PipeSpec(generation + 1, name, source, destination, mappings, newSettings, desired, resync,
            tableResyncs);
    }
}
