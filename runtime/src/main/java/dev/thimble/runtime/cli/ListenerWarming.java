package dev.thimble.runtime.cli;

import java.lang.management.ManagementFactory;

/**
 * Readies, on a daemon thread while the command line is parsed, the two slow one-time parts of binding the client
 * API's port that do not depend on the command's options: logging's configuration (logback reads its XML), and the
 * JVM's platform MBean server, which XNIO creates to register its worker with (creating it registers every platform
 * MXBean; the diagnostic commands' one reads JFR's configurations: ~0.3 s of a cold JVM). Both initialise once per
 * process and are safe to race: whoever comes second waits for the first. Only for {@code serve} and {@code server},
 * which bind a port at once. Issue 17, decision 0054.
 */
final class ListenerWarming {
    private ListenerWarming() {
    }

    /** Starts the warming for a command line that serves; returns at once. */
    static void startFor(String[] args) {
        if (args.length == 0 || !("serve".equals(args[0]) || "server".equals(args[0]))
                || Boolean.getBoolean("thimble.startup.noWarming")) {
            return;
        }
        Thread thread = new Thread(ListenerWarming::warm, "thimble-warm-listener");
        thread.setDaemon(true);
        thread.start();
    }

    private static void warm() {
        try {
            org.slf4j.LoggerFactory.getILoggerFactory();
            ManagementFactory.getPlatformMBeanServer();
        } catch (RuntimeException | LinkageError e) {
            // the bind does the same work itself and reports what fails; warming never fails a start
        }
    }
}
