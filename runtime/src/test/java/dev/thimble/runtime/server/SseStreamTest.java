package dev.thimble.runtime.server;

import io.undertow.Undertow;
import io.undertow.util.SameThreadExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The event-stream writer on its own, behind the same worker dispatch as the client API. */
class SseStreamTest {
    Undertow server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void escapesExactlyPercentCarriageReturnAndLineFeed() {
        assertThat(SseStream.escape("50% off\r\nnext %0A line")).isEqualTo("50%25 off%0D%0Anext %250A line");
        assertThat(SseStream.escape("{\"plain\": \"ü ✓\"}")).isEqualTo("{\"plain\": \"ü ✓\"}");
    }

    @Test
    void writesEventsFromAnyThreadThenAnErrorEventAndEndsTheResponse() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(new WorkerDispatchHandler(exchange -> {
            SseStream stream = new SseStream(exchange, 60_000);
            stream.onClose(closed::countDown);
            stream.sendData("queued before start");
            exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
                stream.start();
                Thread.ofVirtual().start(() -> {
                    stream.sendData("line one\nline two 100%");
                    stream.sendData("x".repeat(200_000)); // larger than a socket buffer: written in parts
                    stream.sendErrorAndFinish("{\"error\": \"gone\", \"error_code\": \"InternalServerError\"}");
                    stream.sendData("after the end: dropped");
                });
            });
        })).build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().getFirst().getAddress()).getPort();

        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("Content-Type")).containsExactly("text/event-stream");
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line.length() > 100 ? line.substring(0, 20) + "…(" + line.length() + ")" : line);
            }
        }
        assertThat(lines).containsExactly(":", "", "data: queued before start", "", "data: line one%0Aline two 100%25", "",
                "data: xxxxxxxxxxxxxx…(200006)", "", "event: error",
                "data: {\"error\": \"gone\", \"error_code\": \"InternalServerError\"}", "");
        assertThat(closed.await(5, TimeUnit.SECONDS)).as("close tasks ran").isTrue();
    }
}
