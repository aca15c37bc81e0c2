package dev.thimble.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Another process's CPU time and resident memory, read from Linux's /proc (the benchmarks' servers run there). */
final class ProcStat {
    private ProcStat() {
    }

    /** Linux reports CPU times in clock ticks of 1/100 s (USER_HZ) on every architecture the JDK runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** User + system CPU time of the process so far in ns (10 ms resolution), or -1 when it cannot be read. */
    static long cpuNanos(long pid) {
        return ticks(Path.of("/proc/" + pid + "/stat"));
    }

    /** The same for those of its threads whose name (as the kernel keeps it: 15 characters) starts with {@code prefix}. */
    static long threadsCpuNanos(long pid, String prefix) {
        String kernelPrefix = prefix.length() > 15 ? prefix.substring(0, 15) : prefix;
        long total = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().startsWith(kernelPrefix)) {
                        total += Math.max(0, ticks(task.resolve("stat")));
                    }
                } catch (IOException ended) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }

    private static long ticks(Path stat) {
        try {
            String line = Files.readString(stat);
            // the name (field 2) is in parentheses and may hold spaces: count fields from the last ')'
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident memory in kB, or -1. */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process ended
        }
        return -1;
    }
}
