package dev.thimble.bench;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.values.SecretStore;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The Thimble server a benchmark measures: an {@link AppHost} in the bench's own JVM ({@link InProcess}), or
 * {@code thimble serve} in a process of its own with the launcher's options ({@link ServeProcess}), as a user runs it
 * and as the Node baseline runs beside it.
 */
interface BenchedServer extends AutoCloseable {
    /** Where the token signing key is kept (AppHost.SIGNING_KEY_SECRET): the Node baseline verifies the same tokens. */
    String SIGNING_KEY = "__thimble.token_signing_key";

    String clientApiUrl();

    /** The server's database: the Node baseline and the bench's seeding use it too. */
    String databaseUri();

    String signingKeyHex();

    /** Waits for the function engine's start-time warm-up to end; µs from the start to then, or -1 when it did not end in time. */
    double awaitWarmUp(Duration limit) throws Exception;

    /** CPU ns the server's request threads spent so far, at a resolution fine enough for 100 calls; -1 when not measurable. */
    long requestThreadsCpuNanos();

    /** CPU ns of the server's own process so far; -1 when it shares the bench's JVM (then the JVM's CPU holds it). */
    long processCpuNanos();

    /** Resident memory of the server's own process in kB; -1 when it shares the bench's JVM. */
    long rssKb();

    /** Changes one function's source and returns when the new version serves; false when this server cannot. */
    boolean reload(AppModel changed) throws Exception;

    /** The app as the server loaded it. */
    AppModel app();

    /** One sentence for the report: where the server ran and with which options. */
    String describe();

    @Override
    void close();

    /** An AppHost in this JVM: the bench's clients and the server share one JVM (its heap, collector and JIT). */
    final class InProcess implements BenchedServer {
        private final AppHost host;
        private final Path scratch;
        private final long started = System.nanoTime();

        InProcess(AppModel model, Path scratch) throws java.io.IOException {
            this.host = Common.start(model, scratch);
            this.scratch = scratch;
        }

        public String clientApiUrl() {
            return host.clientApiUrl();
        }

        public String databaseUri() {
            return host.database().connectionString();
        }

        public String signingKeyHex() {
            return new SecretStore(scratch.resolve("secrets.json")).get(SIGNING_KEY).orElseThrow();
        }

        public double awaitWarmUp(Duration limit) throws InterruptedException {
            return host.services().functions().awaitWarmUp(limit) ? (System.nanoTime() - started) / 1e3 : -1;
        }

        public long requestThreadsCpuNanos() {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long total = 0;
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith("thimble-request-")) {
                    total += Math.max(0, threads.getThreadCpuTime(thread.threadId()));
                }
            }
            return total;
        }

        public long processCpuNanos() {
            return -1;
        }

        public long rssKb() {
            return -1;
        }

        public boolean reload(AppModel changed) {
            host.reload(changed);
            return true;
        }

        public AppModel app() {
            return host.app();
        }

        public String describe() {
            return "Thimble's server (AppHost, embedded database, GraalJS) ran in the bench's JVM, beside its clients (G1, 2 GB heap, "
                    + "the bench's JIT options)";
        }

        public void close() {
            host.close();
        }
    }
}
