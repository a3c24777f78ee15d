package dev.ferry.controller.connect;

import dev.ferry.controller.pipe.PipeSettings;

/** A ClickHouse server version and the column types ferry picks by it. */
public record ClickHouseVersion(int major, int minor) {

    public static ClickHouseVersion parse(String version) {
        String[] parts = version.split("\\.");
        try {
            return new ClickHouseVersion(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a ClickHouse version: " + version);
        }
    }

    private boolean atLeast(int wantedMajor, int wantedMinor) {
        return major > wantedMajor || (major == wantedMajor && minor >= wantedMinor);
    }

    /** The JSON type is production-ready from 25.3 on. */
    public boolean hasJsonType() {
        return atLeast(25, 3);
    }

    /** DateTime64 exists from 20.1 on. */
    public String syncedAtType() {
        return atLeast(20, 1) ? "DateTime64(9)" : "DateTime";
    }

    /**
     * The {@code doc} column's type for a pipe's {@code docColumnType}: JSON where the server has it and the setting
     * allows, otherwise String. Null when the setting asks for JSON on a server without it.
     */
    public String docColumnType(PipeSettings.DocColumnType setting) {
        return switch (setting) {
            case STRING -> "String";
            case JSON -> hasJsonType() ? "JSON" : null;
            case AUTO -> hasJsonType() ? "JSON" : "String";
        };
    }

    /**
     * Whether the job may ask this server for compressed HTTP responses. ClickHouse 18.16 answers such a request
     * with an empty body; servers from 20.1 on answer it properly (versions in between could not be tried, so
     * they are treated like 18.16: uncompressed answers cost little for the few rows the job reads back).
     */
    public boolean answersCompressedHttp() {
        return atLeast(20, 1);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
