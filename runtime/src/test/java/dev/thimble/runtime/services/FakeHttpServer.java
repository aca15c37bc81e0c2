package dev.thimble.runtime.services;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on loopback standing in for the outside world: it records every request and
 * answers {@code /echo} with 200 and a JSON body, {@code /redirect} with a 302 to {@code /echo},
 * {@code /cookie} with Set-Cookie, {@code /slow} after a pause, {@code /big} with 64 KB.
 */
final class FakeHttpServer implements AutoCloseable {
    record Received(String method, String path, String rawQuery, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();

    FakeHttpServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    Received last() {
        return received.getLast();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        String path = exchange.getRequestURI().getPath();
        received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(), headers, body));
        byte[] answer;
        int status = 200;
        switch (path) {
            case "/redirect" -> {
                exchange.getResponseHeaders().add("Location", "/echo");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            }
            case "/cookie" -> {
                exchange.getResponseHeaders().add("Set-Cookie", "session=abc123; Path=/; HttpOnly");
                answer = "{}".getBytes(StandardCharsets.UTF_8);
            }
            case "/slow" -> {
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer = "late".getBytes(StandardCharsets.UTF_8);
            }
            case "/big" -> answer = new byte[64 * 1024];
            case "/2010-04-01/Accounts/AC1/Messages.json" -> {
                status = 201;
                answer = "{\"sid\": \"SM123\", \"status\": \"queued\", \"to\": \"+15550002\", \"from\": \"+15550001\"}".getBytes(StandardCharsets.UTF_8);
            }
            case "/missing" -> {
                status = 404;
                answer = "no such thing".getBytes(StandardCharsets.UTF_8);
            }
            default -> answer = ("{\"method\":\"" + exchange.getRequestMethod() + "\",\"echo\":" + quote(body) + "}").getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-Fake", "one");
        exchange.getResponseHeaders().add("X-Fake", "two");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        }
        exchange.close();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
