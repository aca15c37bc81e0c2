package dev.thimble.workbench.logs;

import dev.thimble.runtime.logs.LogRecord;

import java.time.Instant;

/**
 * Requests per second and mean latency over the last {@link #SECONDS} seconds, counted per second of
 * completion as records arrive (O(1) each), for the logs panel's chart and the status bar. Not thread-safe.
 */
public final class LogRates {
    public static final int SECONDS = 300;
    /** The window the status bar's "requests per second" averages over. */
    static final int RATE_WINDOW = 5;

    private final long[] second = new long[SECONDS];
    private final long[] count = new long[SECONDS];
    private final long[] latencyMillis = new long[SECONDS];

    public LogRates() {
        java.util.Arrays.fill(second, Long.MIN_VALUE);
    }

    public void add(LogRecord record) {
        long s = record.completed().getEpochSecond();
        int slot = (int) Math.floorMod(s, SECONDS);
        if (second[slot] != s) {
            if (second[slot] > s) {
                return; // older than the window
            }
            second[slot] = s;
            count[slot] = 0;
            latencyMillis[slot] = 0;
        }
        count[slot]++;
        latencyMillis[slot] += record.duration().toMillis();
    }

    public void clear() {
        java.util.Arrays.fill(second, Long.MIN_VALUE);
    }

    /** The last {@code SECONDS} whole seconds before {@code now}, oldest first. */
    public Series series(Instant now) {
        long last = now.getEpochSecond() - 1;
        double[] rate = new double[SECONDS];
        double[] latency = new double[SECONDS];
        for (int i = 0; i < SECONDS; i++) {
            long s = last - (SECONDS - 1 - i);
            int slot = (int) Math.floorMod(s, SECONDS);
            if (second[slot] == s && count[slot] > 0) {
                rate[i] = count[slot];
                latency[i] = (double) latencyMillis[slot] / count[slot];
            }
        }
        return new Series(rate, latency);
    }

    /** Records per second over the last {@value #RATE_WINDOW} whole seconds. */
    public double perSecond(Instant now) {
        Series s = series(now);
        double sum = 0;
        for (int i = SECONDS - RATE_WINDOW; i < SECONDS; i++) {
            sum += s.rate()[i];
        }
        return sum / RATE_WINDOW;
    }

    /**
     * Per second, oldest first.
     *
     * @param rate    records completed in that second
     * @param latency their mean duration in ms (0 when there were none)
     */
    public record Series(double[] rate, double[] latency) {
        public double maxRate() {
            return java.util.Arrays.stream(rate).max().orElse(0);
        }

        public double maxLatency() {
            return java.util.Arrays.stream(latency).max().orElse(0);
        }
    }
}
