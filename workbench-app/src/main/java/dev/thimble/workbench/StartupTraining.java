package dev.thimble.workbench;

import dev.thimble.runtime.cli.StartupTrace;
import dev.thimble.runtime.cli.Thimble;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The installer's AOT training runs ({@code packaging/aot-train.sh}, JEP 483/514/515): walk start-up paths once in
 * one JVM, with the launcher's own options, so the JDK can store the classes they loaded and linked (and their
 * profiles) in an AOT cache. A JVM loads every class its cache holds before {@code main}, so each command gets a
 * cache of its own path only (decision 0046); {@code -Dthimble.training.paths} says which paths, in this order:
 * <ul>
 *   <li>{@code cli}: {@code --version} and {@code validate};</li>
 *   <li>{@code serve}: {@code serve} answering the location route, an anonymous login, a function call and a
 *   MongoDB find;</li>
 *   <li>{@code window}: the workbench window on the same app (when {@code -Dthimble.training.window=true}, i.e. there
 *   is a display), exiting at the phase {@code -Dthimble.training.windowExit} (default: once its server runs; the
 *   JVM writes the cache as it exits). Without a display the window's training walks the serve path instead.</li>
 * </ul>
 * The default is all three (one cache for everything, as before decision 0046).
 *
 * <p>The requests go over a plain socket, not {@link java.net.http.HttpClient}: the training's own client would
 * otherwise land in the cache and be loaded by every start of the server.
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
        List<String> paths = Arrays.asList(System.getProperty("thimble.training.paths", "cli,serve,window").split(","));
        boolean window = paths.contains("window") && Boolean.getBoolean("thimble.training.window");
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        if (paths.contains("cli")) {
            Thimble.run(new String[] {"--version"}, out, err);
            require(Thimble.run(new String[] {"validate", app.toString()}, out, err) == Thimble.OK, "validate failed");
        }
        if (paths.contains("serve") || paths.contains("window") && !window) {
            serve(app, clientAppId, out, err);
        }
        if (window) {
            System.setProperty("thimble.startup.exit", System.getProperty("thimble.training.windowExit", StartupTrace.SERVER_RUNNING));
            new FxWorkbenchLauncher().open(app);
            // open returns only when the window closes; StartupTrace exits first, at the exit phase
        }
        System.exit(0);
    }

    /** {@code thimble serve} on the app, then what a first client does: location, login, a function call, a find. */
    private static void serve(Path app, String clientAppId, PrintWriter out, PrintWriter err) throws Exception {
        int port = freePort();
        Path serveData = Files.createTempDirectory(Path.of(System.getProperty("thimble.home")), "serve-data");
        Thread serve = new Thread(() -> Thimble.run(new String[] {"serve", app.toString(), "--port", String.valueOf(port),
                "--data", serveData.toString()}, out, err), "training-serve");
        serve.setDaemon(true);
        serve.start();
        String base = "/api/client/v2.0/app/" + clientAppId;
        awaitStatus(port, "GET", base + "/location", null, status -> status == 200);
        // the location route answers while the app is still assembled (503 elsewhere): log in once it is
        awaitStatus(port, "POST", base + "/auth/providers/anon-user/login", "{}", status -> status != 503);
        String login = ok(request(port, "POST", base + "/auth/providers/anon-user/login", null, "{}"));
        String token = login.replaceAll("(?s).*\"access_token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        ok(request(port, "POST", base + "/functions/call", token, "{\"name\":\"itemsDueSoon\",\"arguments\":[7]}"));
        ok(request(port, "POST", base + "/functions/call", token, "{\"name\":\"find\",\"service\":\"mongodb-atlas\","
                + "\"arguments\":[{\"database\":\"todo\",\"collection\":\"items\",\"query\":{}}]}"));
        out.println("training: the server's path ran");
    }

    private static void awaitStatus(int port, String method, String path, String body, java.util.function.IntPredicate done)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(LIMIT);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (done.test(request(port, method, path, null, body).status())) {
                    return;
                }
            } catch (IOException notYet) {
                // the server is still starting
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the server did not answer " + method + " " + path + " as expected within " + LIMIT);
    }

    private record Response(int status, String body) {
    }

    /** One HTTP/1.1 request on its own connection ({@code Connection: close}: the body ends where the stream does). */
    private static Response request(int port, String method, String path, String token, String body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(60_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
            }
            if (token != null) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            OutputStream output = socket.getOutputStream();
            output.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            output.write(content);
            output.flush();
            InputStream input = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            input.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int space = text.indexOf(' ');
            if (!text.startsWith("HTTP/1.1 ") || space < 0 || text.length() < space + 4) {
                throw new IOException("not an HTTP answer: " + text);
            }
            int headEnd = text.indexOf("\r\n\r\n");
            return new Response(Integer.parseInt(text.substring(space + 1, space + 4)), headEnd < 0 ? "" : text.substring(headEnd + 4));
        }
    }

    private static String ok(Response response) {
        require(response.status() < 300, "answered " + response.status() + ": " + response.body());
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
