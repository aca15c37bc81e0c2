package dev.thimble.runtime.auth;


import dev.thimble.runtime.errors.LimitExceeded;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed logins within a sliding window, so passwords and keys cannot be guessed at speed,
 * without letting anyone lock others out: failures count per account <em>and client address
 * together</em> (someone guessing Ann's password from one address is stopped there, while Ann logs
 * in from hers), and per client address over all accounts (one address cannot spray guesses over
 * many accounts). Nothing counts per account alone, nor per provider: ten wrong API keys block the
 * address that sent them, not every key of the app.
 *
 * <p>What it does not do: a guesser with many addresses gets {@code perAccountAndAddress} guesses
 * per address per window. Kept in memory: it protects this node; a restart forgets it. The client
 * address is the connection's: behind a proxy, every client shares the proxy's.
 */
public final class LoginThrottle {
    /** Above this many keys, keys without a failure in the window are dropped before adding one. */
    private static final int SWEEP_SIZE = 100_000;

    private final InstantSource clock;
    private final Duration window;
    private final int perAccountAndAddress;
    private final int perAddress;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    /**
     * @param perAccountAndAddress failures allowed for one account from one address within the window
     * @param perAddress           failures allowed from one address over all accounts within the window
     */
    public LoginThrottle(InstantSource clock, Duration window, int perAccountAndAddress, int perAddress) {
        this.clock = clock;
        this.window = window;
        this.perAccountAndAddress = perAccountAndAddress;
        this.perAddress = perAddress;
    }

    public static LoginThrottle standard(InstantSource clock) {
        return new LoginThrottle(clock, Duration.ofMinutes(15), 10, 50);
    }

    /**
     * Refuses with 429 (and when to retry) when this account failed too often from this address, or
     * this address too often over all accounts. {@code account} may be null (an unknown API key).
     */
    public void check(String account, String address) {
        Instant now = clock.instant();
        Instant freeAt = null;
        if (account != null) {
            freeAt = blockedUntil(accountKey(account, address), perAccountAndAddress, now);
        }
        Instant addressFreeAt = blockedUntil(addressKey(address), perAddress, now);
        if (addressFreeAt != null && (freeAt == null || addressFreeAt.isAfter(freeAt))) {
            freeAt = addressFreeAt;
        }
        if (freeAt != null) {
            long seconds = Math.max(1, Duration.between(now, freeAt).toSeconds() + 1);
            throw LimitExceeded.tooManyRequests("TooManyRequests", "Too many failed logins from this address" + (account != null ? " for this account" : "")
                    + "; try again in " + describe(seconds) + (account != null ? ", or reset the password" : "") + ".")
                    .withRetryAfterSeconds(seconds);
        }
    }

    public void failed(String account, String address) {
        if (failures.size() >= SWEEP_SIZE) {
            sweep();
        }
        if (account != null) {
            record(accountKey(account, address), perAccountAndAddress);
        }
        record(addressKey(address), perAddress);
    }

    /** A success from this address forgets this account's failures from it. */
    public void succeeded(String account, String address) {
        failures.remove(accountKey(account, address));
    }

    private static String accountKey(String account, String address) {
        return "account:" + address + "\u0000" + account;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    /** When the oldest failure counted against the limit leaves the window, or null when not blocked. */
    private Instant blockedUntil(String key, int limit, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return null;
        }
        synchronized (times) {
            Instant cutoff = now.minus(window);
            while (!times.isEmpty() && !times.peekFirst().isAfter(cutoff)) {
                times.pollFirst();
            }
            return times.size() >= limit ? times.peekFirst().plus(window) : null;
        }
    }

    /** Keeps the last {@code limit} failure times of a key: enough to know if, and until when, it is blocked. */
    private void record(String key, int limit) {
        Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(clock.instant());
            while (times.size() > limit) {
                times.pollFirst();
            }
        }
    }

    private void sweep() {
        Instant cutoff = clock.instant().minus(window);
        failures.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                Instant last = entry.getValue().peekLast();
                return last == null || !last.isAfter(cutoff);
            }
        });
    }

    private static String describe(long seconds) {
        return seconds < 120 ? seconds + " seconds" : ((seconds + 59) / 60) + " minutes";
    }
}
