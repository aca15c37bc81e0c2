package dev.thimble.runtime.triggers;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How a node runs its app's triggers.
 *
 * @param clock             the time of scheduled triggers (leases and log records use the host's clock)
 * @param nodeId            this node's name in the leases; unique per running process
 * @param leaseDuration     how long a lease holds without renewal: a dead node's triggers move to another node after this
 * @param renewInterval     how often leases are renewed and free ones taken; well below {@code leaseDuration}
 * @param unorderedParallel how many events an unordered trigger runs at once
 */
public record TriggerSettings(TriggerClock clock, String nodeId, Duration leaseDuration, Duration renewInterval,
                              int unorderedParallel) {
    public TriggerSettings {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(nodeId, "nodeId");
        if (renewInterval.isNegative() || renewInterval.isZero() || leaseDuration.compareTo(renewInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the lease (" + leaseDuration + ") must last at least two renew intervals ("
                    + renewInterval + ")");
        }
        if (unorderedParallel < 1) {
            throw new IllegalArgumentException("unorderedParallel must be at least 1, was " + unorderedParallel);
        }
    }

    /** The system clock, a fresh node id, 15 s leases renewed every 3 s, 8 unordered events at once. */
    public static TriggerSettings defaults() {
        return new TriggerSettings(TriggerClock.system(), newNodeId(), Duration.ofSeconds(15), Duration.ofSeconds(3), 8);
    }

    public TriggerSettings withClock(TriggerClock value) {
        return new TriggerSettings(value, nodeId, leaseDuration, renewInterval, unorderedParallel);
    }

    public TriggerSettings withNodeId(String value) {
        return new TriggerSettings(clock, value, leaseDuration, renewInterval, unorderedParallel);
    }

    public TriggerSettings withLeases(Duration lease, Duration renew) {
        return new TriggerSettings(clock, nodeId, lease, renew, unorderedParallel);
    }

    public TriggerSettings withUnorderedParallel(int value) {
        return new TriggerSettings(clock, nodeId, leaseDuration, renewInterval, value);
    }

    /** host name + process id + a random part, so a log of the leases says which process held them. */
    static String newNodeId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "node";
        }
        return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }
}
