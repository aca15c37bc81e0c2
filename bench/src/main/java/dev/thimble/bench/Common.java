package dev.thimble.bench;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.FunctionDef;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** What both benchmarks share: settings, the example app, the host, and the SDK's HTTP requests. */
final class Common {
    private Common() {
    }

    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    static final long ROUND_MILLIS = Long.getLong("bench.roundMillis", 2000);
    static final long WARMUP_MILLIS = Long.getLong("bench.warmupMillis", 5000);
    static final int CONCURRENT = Integer.getInteger("bench.clients", 16);
    static final Path RESULTS = Path.of(System.getProperty("bench.results", "bench/results"));
    static final Path EXAMPLE = Path.of(System.getProperty("bench.app", "examples/todo"));
    static final String COMMAND = System.getProperty("bench.command", "bench/run");

    /** The example app without its triggers, so background trigger work does not run during measurement. */
    static AppModel exampleApp(UnaryOperator<List<FunctionDef>> functions) {
        AppModel m = AppBundles.read(EXAMPLE).app();
        return new AppModel(m.metadata(), m.authProviders(), functions.apply(new ArrayList<>(m.functions())), m.services(),
                List.of(), m.values(), m.secretNames(), m.environments(), m.endpoints(), m.otherFiles());
    }

    static AppHost start(AppModel model, Path scratch) throws IOException {
        Files.createDirectories(scratch);
        return AppHost.start(model, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(scratch.resolve("db")),
                new SecretStore(scratch.resolve("secrets.json"))));
    }

    static HttpClient httpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** {@code POST functions/call} as the Stitch SDK sends it: canonical EJSON, Bearer access token. */
    static HttpRequest call(String clientApiUrl, String accessToken, String body) {
        return HttpRequest.newBuilder(URI.create(clientApiUrl + "/functions/call"))
                .header("Content-Type", "application/json")
                .header("Accept", "*/*")
                .header("Authorization", "Bearer " + accessToken)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    static HttpResponse<String> send(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // scratch space; best effort
        }
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    /**
     * Warms every case up, then measures them interleaved within each round (so machine noise hits all
     * cases alike), at 1 and {@link #CONCURRENT} clients, adding each measurement to the report.
     */
    static void measureInterleaved(Report report, String[] names, List<java.util.function.IntFunction<Load.Op>> cases)
            throws InterruptedException {
        measureInterleaved(report, names, cases, java.util.Collections.nCopies(names.length, null));
    }

    /** The same; {@code serverCpu} reads, per case, the CPU time of its server's own process (an element is null when it has none). */
    static void measureInterleaved(Report report, String[] names, List<java.util.function.IntFunction<Load.Op>> cases,
                                   List<java.util.function.LongSupplier> serverCpu) throws InterruptedException {
        System.err.println("Warm-up (" + WARMUP_MILLIS + " ms per case)…");
        for (int k = 0; k < names.length; k++) {
            Load.run(CONCURRENT, WARMUP_MILLIS / 2, cases.get(k));
            Load.run(1, WARMUP_MILLIS / 2, cases.get(k));
        }
        for (int round = 1; round <= ROUNDS; round++) {
            System.err.println("Round " + round + "/" + ROUNDS);
            for (int clients : new int[]{1, CONCURRENT}) {
                for (int k = 0; k < names.length; k++) {
                    report.add(names[k], clients, Load.run(clients, ROUND_MILLIS, cases.get(k), serverCpu.get(k)));
                }
            }
        }
    }
}
