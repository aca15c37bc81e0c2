package dev.thimble.runtime.auth;

import dev.thimble.runtime.ApiError;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed logins per account and per client address within a sliding window, so passwords
 * cannot be guessed at speed. Kept in memory: it protects this node; a restart forgets it.
 */
public final class LoginThrottle {
    private final InstantSource clock;
    private final Duration window;
    private final int perAccount;
    private final int perAddress;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(InstantSource clock, Duration window, int perAccount, int perAddress) {
        this.clock = clock;
        this.window = window;
        this.perAccount = perAccount;
        this.perAddress = perAddress;
    }

    public static LoginThrottle standard(InstantSource clock) {
        return new LoginThrottle(clock, Duration.ofMinutes(15), 10, 50);
    }

    /** Refuses with 429 when this account or address failed too often recently. */
    public void check(String account, String address) {
        if (recent("account:" + account) >= perAccount || recent("address:" + address) >= perAddress) {
            throw new ApiError(429, "TooManyRequests", "Too many failed logins for this account or address; wait "
                    + window.toMinutes() + " minutes and try again, or reset the password.");
        }
    }

    public void failed(String account, String address) {
        record("account:" + account);
        record("address:" + address);
    }

    public void succeeded(String account) {
        failures.remove("account:" + account);
    }

    private int recent(String key) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            Instant cutoff = clock.instant().minus(window);
            while (!times.isEmpty() && times.peekFirst().isBefore(cutoff)) {
                times.pollFirst();
            }
            return times.size();
        }
    }

    private void record(String key) {
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(clock.instant());
        }
    }
}
