package dev.thimble.runtime.services.thirdparty;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An outside service on loopback: every request is recorded as received (method, raw path and query,
 * headers, body) and answered by the handler, which plays the real service's part.
 */
final class FakeService implements AutoCloseable {
    /** One request exactly as it arrived. */
    record Received(String method, String path, String query, Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Map<String, List<String>> form() {
            return TwilioSignature.parseForm(text());
        }
    }

    /** What the fake answers. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        static Answer json(int status, String json) {
            return new Answer(status, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
        }

        static Answer xml(int status, String xml) {
            return new Answer(status, Map.of("Content-Type", "text/xml"), xml.getBytes(StandardCharsets.UTF_8));
        }

        static Answer text(int status, String text) {
            return new Answer(status, Map.of("Content-Type", "text/plain"), text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    FakeService(Function<Received, Answer> handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> answer(exchange, handler));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> received() {
        return received;
    }

    Received only() {
        if (received.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + received.size());
        }
        return received.get(0);
    }

    private void answer(HttpExchange exchange, Function<Received, Answer> handler) throws IOException {
        try (exchange) {
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes());
            received.add(request);
            Answer answer;
            try {
                answer = handler.apply(request);
            } catch (RuntimeException | AssertionError e) {
                answer = Answer.text(599, "fake failed: " + e);
            }
            answer.headers().forEach(exchange.getResponseHeaders()::add);
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                exchange.getResponseBody().write(answer.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
