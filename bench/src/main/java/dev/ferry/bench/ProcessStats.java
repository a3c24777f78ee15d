package dev.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux reports of a process: its peak resident memory ({@code VmHWM}) and the CPU time it has used. A
 * process that is gone reads as zero.
 */
record ProcessStats(long peakRssBytes, double cpuSeconds) {

    /** Linux's clock ticks per second, in which /proc reports CPU time ({@code getconf CLK_TCK}). */
    private static final double TICKS_PER_SECOND = 100.0;

    static ProcessStats of(long pid) {
        return new ProcessStats(peakRss(pid), cpuSeconds(pid));
    }

    private static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The CPU time used since {@code before}, with this peak. */
    ProcessStats since(ProcessStats before) {
        return new ProcessStats(peakRssBytes, cpuSeconds - before.cpuSeconds);
    }
}
