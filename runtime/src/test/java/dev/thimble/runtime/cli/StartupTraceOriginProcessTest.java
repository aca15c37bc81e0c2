package dev.thimble.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up trace counts from the launch its launcher names ({@code THIMBLE_STARTUP_LAUNCHED_AT}, milliseconds
 * since the epoch), not from the process start as Linux reports it (whole-second boot time: up to a second off, by a
 * different amount on every boot), so the benchmark's phases are exact and comparable across sessions (decision 0046).
 */
class StartupTraceOriginProcessTest {
    private static final Pattern MAIN = Pattern.compile("thimble-startup: (-?\\d+) ms main");

    @Test
    void aLaunchAnHourAgoReadsAsAnHourBeforeMain(@TempDir Path tmp) throws Exception {
        long anHourAgo = System.currentTimeMillis() - 3_600_000;
        assertThat(mainPhase(tmp, String.valueOf(anHourAgo))).isBetween(3_600_000L, 3_600_000L + 120_000L);
    }

    @Test
    void withoutItTheProcessStartIsTheOrigin(@TempDir Path tmp) throws Exception {
        assertThat(mainPhase(tmp, null)).isBetween(-1_000L, 120_000L);
        assertThat(mainPhase(tmp, "not a time")).isBetween(-1_000L, 120_000L);
    }

    private static long mainPhase(Path tmp, String launchedAt) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), "-Dthimble.home=" + tmp.resolve("home"),
                Thimble.class.getName(), "--help").redirectErrorStream(true); // marks main (--version alone takes a shorter path)
        builder.environment().put("THIMBLE_STARTUP_TRACE", "1");
        builder.environment().remove("THIMBLE_STARTUP_LAUNCHED_AT");
        if (launchedAt != null) {
            builder.environment().put("THIMBLE_STARTUP_LAUNCHED_AT", launchedAt);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        Matcher main = MAIN.matcher(output);
        assertThat(main.find()).as(output).isTrue();
        return Long.parseLong(main.group(1));
    }
}
