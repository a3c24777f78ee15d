package dev.ferry.controller.connect;

import dev.ferry.common.columns.ColumnType;
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

    /** Rows of a MergeTree table can expire ({@code TTL} of a table) from 19.6 on. */
    public boolean hasTableTtl() {
        return atLeast(19, 6);
    }

    /** The JSON type is production-ready from 25.3 on. */
    public boolean hasJsonType() {
        return atLeast(25, 3);
    }

    /** DateTime64 exists from 20.1 on. */
    public String syncedAtType() {
        return hasDateTime64() ? "DateTime64(9)" : "DateTime";
    }

    private boolean hasDateTime64() {
        return atLeast(20, 1);
    }

    /** Bool is a type of its own from 21.12 on; before, UInt8 holds 0 and 1. */
    private boolean hasBool() {
        return atLeast(21, 12);
    }

    /**
     * A typed column's type on this server, as a mapping gives it: {@code DateTime64(3)} becomes {@code DateTime}
     * and {@code Bool} becomes {@code UInt8} where the server lacks them.
     */
    public String columnType(String type) {
        return ColumnType.parse(type).onServer(hasDateTime64(), hasBool()).typeName();
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
     * The {@code doc} column's type for a pipe's {@code docColumnType} on this server ({@link #docColumnType}),
     * refused as unsuitable when the setting asks for JSON and the server at {@code url} lacks it.
     */
    public String requireDocColumnType(PipeSettings.DocColumnType setting, String url) {
        String type = docColumnType(setting);
        if (type == null) {
            throw new DestinationException(DestinationException.Problem.UNSUITABLE, 0, "settings.docColumnType JSON "
                + "needs ClickHouse 25.3 or newer, and " + url + " runs " + this + "; use auto (JSON where "
                + "available) or String", null);
        }
        return type;
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
