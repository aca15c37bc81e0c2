package dev.thimble.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up and footprint of whole {@code thimble} processes (issue 17), each launcher measured the same
 * way, interleaved round by round: {@code --version} and {@code validate examples/todo} (launch to exit),
 * {@code serve examples/todo} (launch to the location route answering 200), and the workbench on the
 * example (launch to the window interactive, read from the app's own start-up trace; the breakdown of its
 * phases too); then, in that workbench process, resident memory idle (server running, after a settle) and
 * after use (client calls that fill the logs, function calls and finds), from /proc.
 *
 * <p>Launchers come from {@code bench.launchers}: {@code name=file} pairs separated by commas; each file
 * holds the launch command, one argument a line ({@code bench/run startup} writes them: the class-path
 * launch that {@code ./thimble} does, the installed app image, and footprint variants). The workbench
 * needs a display ({@code bench/run} wraps itself in xvfb-run when there is none).
 */
public final class StartupBench {
    private static final int RUNS = Integer.getInteger("bench.startupRuns", 5);
    private static final long SETTLE_MILLIS = Long.getLong("bench.settleMillis", 10_000);
    private static final long USE_MILLIS = Long.getLong("bench.useMillis", 20_000);
    /**
     * When set, "after use" is this many client calls instead of USE_MILLIS of them: the resident size after use follows
     * how many calls were made (quiet machine: 2,168-3,454 calls in 15 s gave 447-512 MB), and on a loaded machine a
     * timed use makes a fraction of them, so launchers compared by memory get the same number of calls.
     */
    private static final int USE_CALLS = Integer.getInteger("bench.useCalls", 0);
    /**
     * When set, a third reading this long after the use (after the "after use" one): the window gives back what a burst of
     * calls left behind once it has been idle a few seconds (decision 0068), so this shows where it settles.
     */
    private static final long LATER_MILLIS = Long.getLong("bench.laterMillis", 0);
    private static final Duration LIMIT = Duration.ofSeconds(Long.getLong("bench.limitSeconds", 180));
    private static final Pattern TRACE = Pattern.compile("thimble-startup: (-?\\d+) ms (\\S+)");
    private static final Pattern SERVING = Pattern.compile("Serving app .* at (http://[0-9.:]+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path app;
    private final Path results;
    private final Map<String, List<String>> launchers = new LinkedHashMap<>();
    private final Map<String, Map<String, List<Long>>> samples = new LinkedHashMap<>();

    private StartupBench(Path app, Path results, String launcherSpec) throws IOException {
        this.app = app.toAbsolutePath();
        this.results = results;
        for (String pair : launcherSpec.split(",")) {
            String[] nameFile = pair.split("=", 2);
            launchers.put(nameFile[0], Files.readAllLines(Path.of(nameFile[1])).stream().filter(l -> !l.isBlank()).toList());
        }
    }

    public static void main(String[] args) throws Exception {
        StartupBench bench = new StartupBench(Path.of(System.getProperty("bench.app", "examples/todo")),
                Path.of(System.getProperty("bench.results", "bench/results")), System.getProperty("bench.launchers"));
        String loadBefore = load();
        for (int run = 1; run <= RUNS; run++) {
            for (String launcher : bench.launchers.keySet()) {
                System.err.printf("== run %d/%d, %s (load %s)%n", run, RUNS, launcher, load());
                bench.measureRun(launcher);
            }
        }
        bench.write(loadBefore, load());
    }

    private void record(String launcher, String measure, long value) {
        samples.computeIfAbsent(launcher, k -> new LinkedHashMap<>()).computeIfAbsent(measure, k -> new ArrayList<>()).add(value);
        System.err.printf(Locale.ROOT, "  %-42s %8d%n", measure, value);
    }

    private void measureRun(String launcher) throws Exception {
        List<String> command = launchers.get(launcher);
        Path home = Files.createTempDirectory("thimble-bench-startup");
        record(launcher, "--version (ms)", untilExit(command, home, "--version"));
        record(launcher, "validate examples/todo (ms)", untilExit(command, home, "validate", app.toString()));
        long served = serve(launcher, command, home);
        record(launcher, "serve: location route answers (ms)", served);
        workbench(launcher, command, home);
    }

    private static ProcessBuilder launch(List<String> command, Path home, String... args) {
        List<String> line = new ArrayList<>(command);
        line.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().put("THIMBLE_HOME", home.toString());
        builder.environment().put("THIMBLE_STARTUP_TRACE", "1");
        // the trace's origin: the launch itself (the process start the OS reports is off by up to a second per boot)
        builder.environment().put("THIMBLE_STARTUP_LAUNCHED_AT", String.valueOf(System.currentTimeMillis()));
        return builder;
    }

    private static long untilExit(List<String> command, Path home, String... args) throws Exception {
        long start = System.nanoTime();
        Process process = launch(command, home, args).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", args) + " did not finish within " + LIMIT);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", args) + " exited with " + process.exitValue());
        }
        return millis;
    }

    private long serve(String launcher, List<String> command, Path home) throws Exception {
        int port = freePort();
        String url = "http://127.0.0.1:" + port + "/api/client/v2.0/app/todo-thmbl/location";
        long start = System.nanoTime();
        Process process = launch(command, home, "serve", app.toString(), "--port", String.valueOf(port)).start();
        Map<String, Long> phases = new ConcurrentHashMap<>();
        Thread reader = new Thread(() -> readOutput(process, start, phases, new ConcurrentHashMap<>(), new CompletableFuture<>()),
                "startup-bench-serve-output");
        reader.setDaemon(true);
        reader.start();
        try {
            Instant deadline = Instant.now().plus(LIMIT);
            while (Instant.now().isBefore(deadline) && process.isAlive()) {
                if (status(url) == 200) {
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    // the serve process's own timeline: port listening (location answers from the bundle's read on), database open
                    // (beside validation), bundle read and validated, then serving the app itself (printed once the app's chain has the port)
                    Instant traced = deadline; // the location answers before the app is assembled: wait for the app itself
                    while (!phases.containsKey("serving") && Instant.now().isBefore(traced)) {
                        Thread.sleep(5);
                    }
                    for (String phase : List.of("main", "command", "listening", "bundle-read", "database-open", "bundle-valid", "serving")) {
                        if (phases.containsKey(phase)) {
                            record(launcher, "serve trace: " + phase + " (ms)", phases.get(phase));
                        }
                    }
                    return millis;
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException("serve did not answer " + url + " within " + LIMIT);
        } finally {
            stop(process);
        }
    }

    /** The workbench on the example: launch to interactive (and its phases), then resident memory idle and after use. */
    private void workbench(String launcher, List<String> command, Path home) throws Exception {
        long start = System.nanoTime();
        Process process = launch(command, home, "open", app.toString()).start();
        Map<String, Long> phases = new ConcurrentHashMap<>();
        Map<String, Long> seenAt = new ConcurrentHashMap<>();
        CompletableFuture<String> serverUrl = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(process, start, phases, seenAt, serverUrl), "startup-bench-output");
        reader.setDaemon(true);
        reader.start();
        try {
            Instant deadline = Instant.now().plus(LIMIT);
            while (!(seenAt.containsKey("interactive") && seenAt.containsKey("server-running")) && Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the workbench exited with " + process.exitValue() + " before it was interactive");
                }
                Thread.sleep(5);
            }
            if (!seenAt.containsKey("interactive")) {
                throw new IllegalStateException("the workbench was not interactive within " + LIMIT + " (is there a display?)");
            }
            record(launcher, "workbench: launch to interactive (ms)", seenAt.get("interactive"));
            for (String phase : List.of("main", "fx-started", "model-built", "view-built", "window-shown", "interactive", "server-running")) {
                if (phases.containsKey(phase)) {
                    record(launcher, "workbench trace: " + phase + " (ms)", phases.get(phase));
                }
            }
            Thread.sleep(SETTLE_MILLIS);
            record(launcher, "workbench: idle resident (MB)", residentMegabytes(process.pid()));
            record(launcher, "workbench: client calls of the use", use(serverUrl.get(LIMIT.toSeconds(), TimeUnit.SECONDS)));
            long used = System.nanoTime();
            Thread.sleep(SETTLE_MILLIS);
            record(launcher, "workbench: after use resident (MB)", residentMegabytes(process.pid()));
            if (LATER_MILLIS > 0) {
                Thread.sleep(Math.max(0, LATER_MILLIS - (System.nanoTime() - used) / 1_000_000));
                record(launcher, "workbench: " + LATER_MILLIS / 1000 + " s after use resident (MB)", residentMegabytes(process.pid()));
            }
        } finally {
            stop(process);
        }
    }

    private static void readOutput(Process process, long start, Map<String, Long> phases, Map<String, Long> seenAt,
                                   CompletableFuture<String> serverUrl) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Matcher trace = TRACE.matcher(line);
                if (trace.find()) {
                    phases.put(trace.group(2), Long.parseLong(trace.group(1)));
                    seenAt.put(trace.group(2), (System.nanoTime() - start) / 1_000_000);
                }
                Matcher serving = SERVING.matcher(line);
                if (serving.find()) {
                    serverUrl.complete(serving.group(1));
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** "After use": an anonymous user's calls for USE_MILLIS (or USE_CALLS of them): function calls and finds, each one a log record the panel shows; returns how many. */
    private static int use(String server) throws Exception {
        String base = server + "/api/client/v2.0/app/todo-thmbl";
        String login = post(base + "/auth/providers/anon-user/login", null, "{}");
        String token = login.replaceAll("(?s).*\"access_token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        long start = System.nanoTime();
        long end = start + (USE_CALLS > 0 ? LIMIT.toMillis() : USE_MILLIS) * 1_000_000;
        int calls = 0;
        while (System.nanoTime() < end && (USE_CALLS == 0 || calls < USE_CALLS)) {
            post(base + "/functions/call", token, "{\"name\":\"itemsDueSoon\",\"arguments\":[7]}");
            post(base + "/functions/call", token, "{\"name\":\"find\",\"service\":\"mongodb-atlas\","
                    + "\"arguments\":[{\"database\":\"todo\",\"collection\":\"items\",\"query\":{}}]}");
            calls += 2;
        }
        System.err.println("  after-use load: " + calls + " client calls in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        return calls;
    }

    private static String post(String url, String token, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static long residentMegabytes(long pid) {
        long kb = ProcStat.rssKb(pid);
        if (kb < 0) {
            throw new IllegalStateException("no VmRSS for " + pid);
        }
        return kb / 1024;
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: the embedded database closes cleanly
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /** A class or module path as its first entry and a count: the table stays readable. */
    private static String abbreviate(String argument) {
        String[] entries = argument.split(":");
        return entries.length > 3 ? entries[0] + ":…(" + entries.length + " entries)" : argument;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private void write(String loadBefore, String loadAfter) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Start-up and footprint: whole `thimble` processes\n\n");
        md.append("Command: `").append(System.getProperty("bench.command", "bench/run startup")).append("`  \n");
        md.append("When: ").append(Instant.now()).append("; machine: ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, load before ").append(loadBefore).append(", after ").append(loadAfter).append("  \n");
        md.append("Runs: ").append(RUNS).append(" per launcher, launchers interleaved run by run; medians (min–max). ")
                .append("Memory: VmRSS of the workbench process ").append(SETTLE_MILLIS / 1000)
                .append(" s after it was interactive with its server running (idle), and again ").append(SETTLE_MILLIS / 1000)
                .append(" s after ").append(USE_CALLS > 0 ? USE_CALLS + " client calls" : USE_MILLIS / 1000 + " s of client calls")
                .append(" (after use)")
                .append(LATER_MILLIS > 0 ? ", and " + LATER_MILLIS / 1000 + " s after the use (where it settles once idle)" : "")
                .append(".\n\n");
        md.append("Launchers:\n\n");
        launchers.forEach((name, command) -> md.append("- **").append(name).append("**: `")
                .append(String.join(" ", command.stream().map(StartupBench::abbreviate).toList())
                        .replace(System.getProperty("user.dir") + "/", "")).append("`\n"));
        List<String> names = new ArrayList<>(samples.keySet());
        md.append("\n| measure |");
        names.forEach(n -> md.append(" ").append(n).append(" |"));
        md.append("\n|---|");
        names.forEach(n -> md.append("---:|"));
        md.append("\n");
        List<String> measures = new ArrayList<>();
        samples.values().forEach(m -> m.keySet().forEach(k -> {
            if (!measures.contains(k)) {
                measures.add(k);
            }
        }));
        for (String measure : measures) {
            md.append("| ").append(measure).append(" |");
            for (String name : names) {
                List<Long> values = samples.get(name).get(measure);
                md.append(values == null ? " - |" : String.format(Locale.ROOT, " %d (%d–%d) |", median(values),
                        values.stream().mapToLong(Long::longValue).min().orElse(0), values.stream().mapToLong(Long::longValue).max().orElse(0)));
            }
            md.append("\n");
        }
        md.append("\nThe workbench trace rows are the app's own timeline (`THIMBLE_STARTUP_TRACE=1`): milliseconds from the ")
                .append("process start to each phase (main entered, JavaFX started, view-models built, window's view built, window shown, app shown and ")
                .append("painted = interactive, server running); the serve trace rows likewise (port listening, bundle read and validated, serving the assembled app; the location route answers from the bundle's read on).\n");
        Files.createDirectories(results);
        String file = System.getProperty("bench.startupFile", "startup.md");
        Files.writeString(results.resolve(file), md.toString());
        System.err.println("wrote " + results.resolve(file));
    }
}
