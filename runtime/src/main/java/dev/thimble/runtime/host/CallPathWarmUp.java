package dev.thimble.runtime.host;

import dev.thimble.runtime.auth.AuthService;
import dev.thimble.runtime.errors.Failure;
import dev.thimble.runtime.functions.FunctionEngine;
import dev.thimble.runtime.server.ClientApiServer;
import dev.thimble.runtime.server.ClientCalls;
import dev.thimble.runtime.server.RequestsInFlight;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The host's round of the start-time warm-up (decision record 0047): what a client's {@code callFunction} runs
 * through besides the engine, so that the JVM has compiled it before the first calls. Each round
 * <ul>
 *   <li>sends {@code GET .../location} over a loopback keep-alive connection: Undertow's parsing, the request
 *       thread hand-off, the app's handler chain (request log, errors, origins, scope, body limit, routing) and a
 *       JSON answer; a routine read's success leaves no log record;</li>
 *   <li>sends {@code POST .../functions/call} on the same connection with the warm-up's own access token (decision
 *       record 0075): Undertow's reading of a request body, the token check, the function-call route, the call
 *       service's steps with its log record, the engine's in-place execution of its built-in warm-up function (or an
 *       app function that cannot reach out) on the request thread, and the answer's EJSON. The route knows the
 *       warm-up's caller and runs the warm-up's call for it, whatever it names. Where the loopback request cannot be
 *       made, the route's own code runs in process instead ({@link ClientApiServer#warmUpFunctionCall}).</li>
 * </ul>
 * Nothing of it is visible: no log record is stored in the app's logs (its records go through the log store's
 * code into a scratch collection dropped when the warm-up ends, decision record 0071), nothing is written to a database, no app function that could
 * reach a service, another function or the network runs (every other round's call runs one of the app's functions a
 * scan finds cannot, decision record 0060; its errors are its own and do not end the warm-up), and no user's data or
 * token is used (the caller is a synthetic user no app has).
 *
 * <p>It yields to every request the server handles (decision record 0060), not only to function calls: before each
 * round and between its two parts it asks whether a request is in flight or one ended within {@link #QUIET_NANOS}, and
 * the engine's warm-up waits while one is.
 */
final class CallPathWarmUp implements FunctionEngine.CallPathRound {
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final Map<String, List<String>> HEADERS = Map.of(
            "Content-Type", List.of("application/json"),
            "Accept", List.of("application/json"),
            "User-Agent", List.of(RequestsInFlight.WARM_UP_AGENT));

    /** How long after a request ended the warm-up still waits: a client's next request usually follows soon. */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * {@code -Dthimble.functions.warmUpCallOverHttp=false}: the call's part runs in process only (the route's parsing,
     * the call service), as before decision record 0075, for A/B measurements.
     */
    static final boolean CALL_OVER_HTTP = !"false".equals(System.getProperty("thimble.functions.warmUpCallOverHttp"));

    private final Supplier<ClientCalls> calls;
    private final Supplier<String> clientApiUrl;
    private final Supplier<RequestsInFlight> requests;
    private final Supplier<AuthService> auth;
    /** Warm-up calls answered over the loopback connection with the warm-up's token (decision record 0075). */
    private final AtomicLong callsOverHttp = new AtomicLong();
    /** This warm-up's token ({@link AuthService#beginWarmUp}), made on its first call over HTTP; null before and after. */
    private String token;
    /** Whether the call over HTTP was refused or failed once: the rest of this warm-up calls in process. */
    private boolean callOverHttpFailed;
    /** Rounds begun, and times the warm-up was told to wait for requests (both for tests and the debug log). */
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong pauses = new AtomicLong();
    private Socket connection;
    /** Whether the loopback request failed once: the rest of this warm-up leaves it out. */
    private boolean httpFailed;

    /** @param clientApiUrl the app's client API, e.g. {@code http://127.0.0.1:8080/api/client/v2.0/app/todo-abcde} */
    CallPathWarmUp(Supplier<ClientCalls> calls, Supplier<String> clientApiUrl, Supplier<RequestsInFlight> requests,
                   Supplier<AuthService> auth) {
        this.calls = calls;
        this.clientApiUrl = clientApiUrl;
        this.requests = requests;
        this.auth = auth;
    }

    @Override
    public boolean serving() {
        RequestsInFlight now = requests.get();
        if (now != null && now.busy(QUIET_NANOS)) {
            pauses.incrementAndGet();
            return true;
        }
        return false;
    }

    /** Rounds begun so far (all warm-ups of this host). */
    long rounds() {
        return rounds.get();
    }

    /** Times a warm-up of this host waited because the server was handling a request. */
    long pauses() {
        return pauses.get();
    }

    /** Warm-up calls answered through the server's function-call route (all warm-ups of this host). */
    long callsOverHttp() {
        return callsOverHttp.get();
    }

    @Override
    public void run(int round) {
        rounds.incrementAndGet();
        String url = clientApiUrl.get();
        if (!httpFailed) {
            try {
                location(URI.create(url + "/location"));
            } catch (IOException | RuntimeException e) {
                httpFailed = true;
                closeConnection();
            }
        }
        if (serving()) {
            return; // a request came in meanwhile: the function call's part waits for the next round
        }
        String body = "{\"name\":\"thimble-warm-up\",\"arguments\":[{\"$numberInt\":\"" + round + "\"},\"w\"]}";
        if (CALL_OVER_HTTP && !httpFailed && !callOverHttpFailed && callOverHttp(URI.create(url + "/functions/call"), body)) {
            return;
        }
        ClientCalls.CallInfo info = new ClientCalls.CallInfo("POST", url + "/functions/call", "127.0.0.1", HEADERS, "");
        try {
            ClientApiServer.warmUpFunctionCall(calls.get(), body, info);
        } catch (Failure e) {
            // an app function's own error (decision 0060: the engine warms the app's functions too, and notes it)
        }
    }

    /**
     * The warm-up's call as a client sends it (decision record 0075): {@code POST .../functions/call} over the loopback
     * connection with the warm-up's own token, so Undertow's reading of a request body, the token check, the route and
     * the answer's writing run too; the route hands the warm-up's caller to the warm-up call, whose log record goes to the
     * scratch collection. An app function's error answer counts as answered.
     *
     * @return false when it could not be sent or the token was refused: the caller then calls in process
     */
    private boolean callOverHttp(URI uri, String body) {
        try {
            if (token == null) {
                token = auth.get().beginWarmUp();
            }
            int status = send("POST", uri, body, token);
            if (status == 401 || status >= 500) {
                callOverHttpFailed = true;
                return false;
            }
            callsOverHttp.incrementAndGet();
            return true;
        } catch (IOException | RuntimeException e) {
            callOverHttpFailed = true;
            closeConnection();
            return false;
        }
    }

    @Override
    public void finished() {
        if (token != null) {
            auth.get().endWarmUp();
            token = null;
        }
        callOverHttpFailed = false;
        closeConnection();
        ClientCalls current = calls.get();
        if (current != null) {
            current.warmUpEnded();
        }
        httpFailed = false;
    }

    /** One keep-alive GET, answered 200. */
    private void location(URI uri) throws IOException {
        int status = send("GET", uri, null, null);
        if (status != 200) {
            throw new IOException("location answered " + status);
        }
    }

    /**
     * One request on the keep-alive connection; reads the whole answer (by its Content-Length) so the next request can
     * follow.
     *
     * @param body   a JSON body, or null
     * @param bearer an access token, or null
     * @return the answer's status
     */
    private int send(String method, URI uri, String body, String bearer) throws IOException {
        if (connection == null || connection.isClosed()) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            connection = socket;
        }
        OutputStream out = connection.getOutputStream();
        byte[] content = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(256).append(method).append(' ').append(uri.getRawPath())
                .append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(':').append(uri.getPort())
                .append("\r\nAccept: application/json\r\nUser-Agent: ").append(RequestsInFlight.WARM_UP_AGENT).append("\r\n");
        if (bearer != null) {
            request.append("Authorization: Bearer ").append(bearer).append("\r\n");
        }
        if (content != null) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (content != null) {
            out.write(content);
        }
        out.flush();
        InputStream in = connection.getInputStream();
        String head = readHead(in);
        if (!head.startsWith("HTTP/1.1 ") || head.length() < 12) {
            throw new IOException("not an HTTP/1.1 answer: " + head.lines().findFirst().orElse(""));
        }
        int status = Integer.parseInt(head.substring(9, 12));
        long length = -1;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        if (length < 0) {
            throw new IOException(method + " " + uri.getRawPath() + " answered without a Content-Length");
        }
        in.skipNBytes(length);
        return status;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                    : b == '\r' ? 1 : 0;
            if (head.size() > 64 * 1024) {
                throw new IOException("the answer's head is too long");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                // nothing to do
            }
            connection = null;
        }
    }
}
