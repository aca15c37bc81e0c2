package dev.thimble.runtime.cli;

import dev.thimble.testing.TestApps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.server.EarlyListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code thimble serve} listens before the app is assembled (decision 0023): the location route answers at
 * once, every other route gets 503 in the protocol's error shape with Retry-After, and the app's own
 * chain then takes the same port over without a refused or dropped request. The start is held at its
 * assembly by a gate, so "during assembly" is a state the test controls, not a race it hopes to win.
 */
class ServeEarlyListenerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "/api/client/v2.0/app/todo-thmbl";
    private static final String LOGIN = APP + "/auth/providers/anon-user/login";

    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final ExecutorService starter = Executors.newSingleThreadExecutor();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final CompletableFuture<EarlyListener> listening = new CompletableFuture<>();
    private CompletableFuture<AppHost> started;

    @AfterEach
    void stop() throws Exception {
        gate.countDown();
        try {
            AppHost host = started.get(2, TimeUnit.MINUTES);
            if (host != null) {
                host.close();
            }
        } catch (Exception e) {
            // the test itself reports a start that failed
        }
        starter.shutdownNow();
    }

    @Test
    void duringAssemblyLocationAnswersOtherRoutesGet503AndAfterwardsTheAppServesOnTheSamePort() throws Exception {
        EarlyListener listener = startHeldAtAssembly();
        String base = listener.baseUrl();

        HttpResponse<String> location = get(base + APP + "/location");
        assertThat(location.statusCode()).isEqualTo(200);
        JsonNode where = JSON.readTree(location.body());
        assertThat(where.path("hostname").asText()).isEqualTo(base);
        assertThat(where.path("ws_hostname").asText()).isEqualTo(base.replaceFirst("^http", "ws"));
        assertThat(where.path("deployment_model").asText()).isNotEmpty();

        HttpResponse<String> login = post(base + LOGIN, "{}");
        assertThat(login.statusCode()).isEqualTo(503);
        assertThat(login.headers().firstValue("Retry-After")).contains("1");
        JsonNode error = JSON.readTree(login.body());
        assertThat(error.path("error_code").asText()).isEqualTo("ServiceUnavailable");
        assertThat(error.path("error").asText()).contains("still starting").contains("try again");

        assertThat(post(base + APP + "/functions/call", "{\"name\":\"validateItemText\",\"arguments\":[\"x\"]}").statusCode())
                .as("a function call before the app is assembled").isEqualTo(503);
        HttpResponse<String> otherApp = get(base + "/api/client/v2.0/app/someone-else/location");
        assertThat(otherApp.statusCode()).as("another app's id is refused as the assembled app refuses it").isEqualTo(404);
        assertThat(JSON.readTree(otherApp.body()).path("error_code").asText()).isEqualTo("AppNotFound");

        gate.countDown();
        AppHost host = started.get(2, TimeUnit.MINUTES);

        assertThat(host.server().port()).isEqualTo(listener.port());
        HttpResponse<String> loggedIn = post(base + LOGIN, "{}");
        assertThat(loggedIn.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(loggedIn.body()).path("access_token").asText()).isNotEmpty();
        assertThat(get(base + APP + "/location").statusCode()).isEqualTo(200);
    }

    @Test
    void aClientPollingAcrossTheHandOverGets503sThenAnswersAndNeverAFailedConnection() throws Exception {
        EarlyListener listener = startHeldAtAssembly();
        String url = listener.baseUrl() + LOGIN;
        List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch someRefusals = new CountDownLatch(3);
        CompletableFuture<Void> poller = CompletableFuture.runAsync(() -> {
            long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (System.nanoTime() < giveUp) {
                try {
                    int status = post(url, "{}").statusCode();
                    seen.add(status);
                    if (status == 503) {
                        someRefusals.countDown();
                    }
                    if (status == 200) {
                        return;
                    }
                    // a client's pace between tries (not a wait for a condition): keeps the loop off both cores
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                } catch (IOException | RuntimeException e) {
                    seen.add(e);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });

        assertThat(someRefusals.await(2, TimeUnit.MINUTES)).as("503s while the start is held: " + seen).isTrue();
        gate.countDown();
        poller.get(3, TimeUnit.MINUTES);

        List<Object> answers = List.copyOf(seen);
        assertThat(answers).as("every request answered").allMatch(a -> a instanceof Integer);
        assertThat(answers.getLast()).isEqualTo(200);
        int firstOk = answers.indexOf(200);
        assertThat(answers.subList(0, firstOk)).as("before the hand-over").containsOnly(503);
        assertThat(answers.subList(firstOk, answers.size())).as("after it").containsOnly(200);
    }

    @Test
    void aRejectedBundleClosesThePortItListenedOn(@TempDir Path tmp) throws Exception {
        started = CompletableFuture.completedFuture(null);
        Path bundle = TestApps.copy(TestApps.TODO, tmp.resolve("todo"));
        Files.writeString(bundle.resolve("functions/addItem/source.js"), "exports = function( {\n");
        int port = freePort();

        CliRun run = CliRun.of("serve", bundle.toString(), "--port", String.valueOf(port), "--data", data.toString());

        assertThat(run.exitCode()).isEqualTo(Thimble.USER_ERROR);
        assertThat(run.err()).contains("addItem");
        try (ServerSocket again = new ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("the port is free again").isEqualTo(port);
        }
    }

    @Test
    void aPortInUseIsReportedBeforeTheBundleIsRead() throws Exception {
        started = CompletableFuture.completedFuture(null);
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.of("serve", "../examples/todo", "--port", String.valueOf(taken.getLocalPort()), "--data", data.toString());

            assertThat(run.exitCode()).isEqualTo(Thimble.USER_ERROR);
            assertThat(run.err()).contains("Cannot listen on 127.0.0.1:" + taken.getLocalPort()).contains("--port");
        }
        assertThat(data).as("no database was opened").isEmptyDirectory();
    }

    /** Starts serving the example on a free port, held just before the app's assembly; returns its listener. */
    private EarlyListener startHeldAtAssembly() throws Exception {
        ServeOptions options = new ServeOptions();
        options.port = 0;
        options.dataDir = data;
        started = CompletableFuture.supplyAsync(() -> ServeCommand.start(Path.of("../examples/todo"), options,
                new PrintWriter(Writer.nullWriter()), listener -> {
                    listening.complete(listener);
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }), starter);
        started.whenComplete((host, failure) -> {
            if (failure != null) {
                listening.completeExceptionally(failure);
            }
        });
        return listening.get(2, TimeUnit.MINUTES);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
