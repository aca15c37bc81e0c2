package dev.thimble.bench;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.values.SecretStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code thimble serve} in a process of its own, started by a launcher ({@code ./thimble} or the installed
 * {@code /opt/thimble/bin/thimble}) with its own options: heap, collector, JIT and GraalJS runtime as a user's server
 * has them. The bench reaches it only from outside: over HTTP, through the database port it exposes
 * ({@code --expose-database}), its secret store and log, and /proc.
 */
final class ServeProcess implements BenchedServer {
    /** serve's line once the app serves: its client API's URL and its database's connection string. */
    private static final Pattern SERVING = Pattern.compile("Serving .* at (http://\\S+) with .* at (mongodb://[^,\\s]+)");
    /** The function engine's line (at DEBUG, switched on by this bench's log configuration) when its warm-up ended. */
    private static final String WARMED = "warmed the function engine";
    private static final Duration START_LIMIT = Duration.ofMinutes(5);

    private final Process process;
    private final Path log;
    private final Path home;
    private final AppModel app;
    private final String launcher;
    private final String options;
    private final long started = System.nanoTime();
    private String clientApiUrl;
    private String databaseUri;

    /**
     * @param launcher the launcher to run ({@code <clone>/thimble} or an installed {@code bin/thimble})
     * @param options  JVM options added after the launcher's own (they win), e.g. to try another heap
     */
    ServeProcess(Path bundle, AppModel app, Path scratch, String launcher, String options) throws IOException, InterruptedException {
        this.app = app;
        this.launcher = launcher;
        this.options = options;
        this.log = scratch.resolve("serve.log");
        this.home = scratch.resolve("home");
        Path logConfig = scratch.resolve("logback.xml");
        Files.writeString(logConfig, logConfigurationWithWarmUpLine());
        ProcessBuilder pb = new ProcessBuilder(launcher, "serve", bundle.toString(), "--port", "0",
                "--data", scratch.resolve("data").toString(), "--expose-database", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // where the server keeps its secrets (the signing key the Node baseline needs) and which log configuration it
        // reads: through JAVA_TOOL_OPTIONS, which every launcher's JVM picks up; the options under test go where
        // each launcher adds a user's own options, last
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Dthimble.home=" + home + " -Dlogback.configurationFile=" + logConfig);
        pb.environment().put("THIMBLE_JAVA_OPTS", options);
        pb.environment().put("THIMBLE_JAVA_OPTIONS", options);
        this.process = pb.start();
        awaitServing();
    }

    private void awaitServing() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = SERVING.matcher(Files.readString(log));
            if (m.find()) {
                clientApiUrl = m.group(1);
                databaseUri = m.group(2);
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(launcher + " serve ended (exit " + process.exitValue() + "):\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        close();
        throw new IllegalStateException(launcher + " serve did not serve within " + START_LIMIT + ":\n" + Files.readString(log));
    }

    /** The runtime's own log configuration with one more line: the warm-up's end, which the bench waits for. */
    private static String logConfigurationWithWarmUpLine() throws IOException {
        try (InputStream in = ServeProcess.class.getResourceAsStream("/logback.xml")) {
            Common.check(in != null, "the runtime's logback.xml is not on the bench's class path");
            String config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String line = "<logger name=\"dev.thimble.runtime.functions.WarmUp\" level=\"DEBUG\"/>\n  ";
            Common.check(config.contains("<root "), "the runtime's logback.xml has no root logger");
            return config.replace("<root ", line + "<root ");
        }
    }

    public String clientApiUrl() {
        return clientApiUrl;
    }

    public String databaseUri() {
        return databaseUri;
    }

    public String signingKeyHex() {
        SecretStore secrets = new SecretStore(home.resolve("apps").resolve(app.clientAppId()).resolve("secrets.json"));
        return secrets.get(SIGNING_KEY).orElseThrow(() -> new IllegalStateException("no signing key in " + secrets.file()));
    }

    public double awaitWarmUp(Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(WARMED)) {
                return (System.nanoTime() - started) / 1e3;
            }
            Thread.sleep(10);
        }
        return -1;
    }

    /** Not measurable finely enough from outside: /proc counts CPU in 10 ms ticks, 100 calls take a few of them. */
    public long requestThreadsCpuNanos() {
        return -1;
    }

    public long processCpuNanos() {
        return ProcStat.cpuNanos(process.pid());
    }

    public long rssKb() {
        return ProcStat.rssKb(process.pid());
    }

    /** Not measured here: a reload from outside would include how soon serve notices the bundle's change. */
    public boolean reload(AppModel changed) {
        return false;
    }

    public AppModel app() {
        return app;
    }

    /** The lines serve wrote that say how it runs (its GraalJS runtime, its database). */
    List<String> startLines() throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("GraalEngines") || l.contains("Serving ") || l.contains(WARMED)).toList();
    }

    public String describe() {
        return "Thimble's server ran as `" + launcher + " serve` in a process of its own, with the launcher's options"
                + (options.isBlank() ? "" : " and " + options) + "; the bench's JVM held only the clients";
    }

    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
