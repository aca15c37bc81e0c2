package dev.thimble.workbench;

import dev.thimble.runtime.cli.StartupTrace;
import dev.thimble.runtime.cli.Thimble;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The installer's AOT training run ({@code packaging/aot-train.sh}, JEP 483/514/515): walks every
 * start-up path once in one JVM, with the launcher's own options, so the JDK can store the classes it
 * loaded and linked (and their profiles) in the image's AOT cache. In order: {@code --version},
 * {@code validate}, {@code serve} answering the location route, an anonymous login, a function call and
 * a MongoDB find; then, when {@code -Dthimble.training.window=true}, the workbench window on the same
 * app, exiting once its server runs (the JVM writes the cache as it exits).
 *
 * <p>Usage: {@code StartupTraining APP_DIR CLIENT_APP_ID}. {@code -Dthimble.home} should point at a
 * scratch folder: the run creates users and data.
 */
public final class StartupTraining {
    private static final Duration LIMIT = Duration.ofMinutes(3);

    private StartupTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path app = Path.of(args[0]);
        String clientAppId = args[1];
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        Thimble.run(new String[] {"--version"}, out, err);
        require(Thimble.run(new String[] {"validate", app.toString()}, out, err) == Thimble.OK, "validate failed");

        int port = freePort();
        Path serveData = Files.createTempDirectory(Path.of(System.getProperty("thimble.home")), "serve-data");
        Thread serve = new Thread(() -> Thimble.run(new String[] {"serve", app.toString(), "--port", String.valueOf(port),
                "--data", serveData.toString()}, out, err), "training-serve");
        serve.setDaemon(true);
        serve.start();
        String base = "http://127.0.0.1:" + port + "/api/client/v2.0/app/" + clientAppId;
        HttpClient http = HttpClient.newHttpClient();
        awaitOk(http, base + "/location");
        // the location route answers while the app is still assembled (503 elsewhere): log in once it is
        awaitApp(http, base + "/auth/providers/anon-user/login");
        String login = post(http, base + "/auth/providers/anon-user/login", null, "{}");
        String token = login.replaceAll("(?s).*\"access_token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        post(http, base + "/functions/call", token, "{\"name\":\"itemsDueSoon\",\"arguments\":[7]}");
        post(http, base + "/functions/call", token, "{\"name\":\"find\",\"service\":\"mongodb-atlas\","
                + "\"arguments\":[{\"database\":\"todo\",\"collection\":\"items\",\"query\":{}}]}");
        out.println("training: the CLI and the server paths ran");

        if (Boolean.getBoolean("thimble.training.window")) {
            System.setProperty("thimble.startup.exit", StartupTrace.SERVER_RUNNING);
            new FxWorkbenchLauncher().open(app);
            // open returns only when the window closes; StartupTrace exits first, once the server runs
        }
        System.exit(0);
    }

    private static void awaitOk(HttpClient http, String url) throws InterruptedException {
        Instant deadline = Instant.now().plus(LIMIT);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the server is still starting
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the server did not answer " + url + " within " + LIMIT);
    }

    /** Waits until {@code url} (a POST that needs the assembled app) answers anything but 503. */
    private static void awaitApp(HttpClient http, String url) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(LIMIT);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 503) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the app did not start serving " + url + " within " + LIMIT);
    }

    private static String post(HttpClient http, String url, String token, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        require(response.statusCode() < 300, "POST " + url + " answered " + response.statusCode() + ": " + response.body());
        return response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("training: " + message);
        }
    }
}
