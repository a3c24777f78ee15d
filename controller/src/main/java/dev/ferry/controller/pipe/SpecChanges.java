package dev.ferry.controller.pipe;

import java.util.ArrayList;
import java.util.List;

/**
 * What the job must be restarted for: the differences between the spec and what the job was last submitted with
 * (the tables it runs, the settings it read). Pausing, resuming and resyncing the whole pipe are not among them:
 * they have paths of their own.
 *
 * @param added    tables mapped since, to create and load with a snapshot of their own
 * @param removed  tables no longer mapped; they keep their data
 * @param resynced tables whose resync alone was asked for
 * @param settings settings the job reads changed
 * @param widened  tables with typed columns added to their mappings (each is resynced too, which fills them)
 */
public record SpecChanges(List<String> added, List<String> removed, List<String> resynced, boolean settings,
                          List<String> widened) {

    public static final SpecChanges NONE = new SpecChanges(List.of(), List.of(), List.of(), false, List.of());

    public static SpecChanges between(PipeSpec spec, PipeStatus status) {
        PipeSpec deployed = status.lastReconciledSpec();
        if (deployed == null) {
            return NONE;
        }
        List<String> added = new ArrayList<>();
        List<String> resynced = new ArrayList<>();
        List<String> widened = new ArrayList<>();
        for (String table : spec.targetTables()) {
            PipeStatus.TableState state = status.tables().get(table);
            if (state == null) {
                added.add(table);
            } else if (spec.tableResyncNonce(table) != state.resyncNonce()) {
                resynced.add(table);
            }
            if (state != null && deployed.mapping(table).map(TableMapping::columns)
                .filter(columns -> !columns.equals(spec.mapping(table).orElseThrow().columns())).isPresent()) {
                widened.add(table);
            }
        }
        List<String> removed = status.tables().keySet().stream().filter(table -> spec.mapping(table).isEmpty())
            .sorted().toList();
        return new SpecChanges(List.copyOf(added), removed, List.copyOf(resynced),
            spec.settings().changeTheJob(deployed.settings()), List.copyOf(widened));
    }

    public boolean needRestart() {
        return !added.isEmpty() || !removed.isEmpty() || !resynced.isEmpty() || settings;
    }

    /** The tables to create before the job starts again: those added, and the {@code _resync} ones. */
    public List<String> tablesToSetUp() {
        List<String> tables = new ArrayList<>(added);
        tables.addAll(resynced);
        return tables;
    }

    /** In words, for the state's reason. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (!added.isEmpty()) {
            parts.add("adding " + String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            parts.add("removing " + String.join(", ", removed));
        }
        if (!widened.isEmpty()) {
            parts.add("new typed columns in " + String.join(", ", widened) + ", filled by the resync");
        }
        if (!resynced.isEmpty()) {
            parts.add("resync of " + String.join(", ", resynced) + " (" + (resynced.size() == 1 ? "its" : "their")
                + " counts start over)");
        }
        if (settings) {
            parts.add("new settings");
        }
        return String.join("; ", parts);
    }
}
