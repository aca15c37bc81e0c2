package dev.thimble.runtime.server;

import io.undertow.Undertow;
import io.undertow.util.StatusCodes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The early listener's own request threads (the chain that answers while the app starts) end once the
 * port is handed to the app, or once a failed start closes it: a long-running {@code thimble serve} keeps
 * no idle pool of the starting phase (decision 0044).
 */
class EarlyListenerThreadsTest {
    private static final String LOGIN = "/api/client/v2.0/app/todo-thmbl/auth/providers/anon-user/login";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    @Test
    void theStartingThreadsEndAtTheHandOverAndTheAppsChainAnswersFromThen() throws Exception {
        EarlyListener listener = EarlyListener.bind("127.0.0.1", 0, null);
        Undertow undertow = null;
        try {
            assertThat(post(listener.baseUrl() + LOGIN).statusCode()).as("while starting").isEqualTo(503);
            assertThat(listener.threadsEnded()).as("the starting chain has a thread while it serves").isFalse();

            undertow = listener.handOver(exchange -> {
                exchange.setStatusCode(StatusCodes.OK);
                exchange.getResponseSender().send("app");
            });

            assertThat(waitFor(listener::threadsEnded)).as("the starting chain's threads ended").isTrue();
            HttpResponse<String> after = post(listener.baseUrl() + LOGIN);
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.body()).isEqualTo("app");
        } finally {
            if (undertow != null) {
                undertow.stop();
            } else {
                listener.close();
            }
        }
    }

    @Test
    void aFailedStartClosesThePortAndEndsTheStartingThreads() throws Exception {
        EarlyListener listener = EarlyListener.bind("127.0.0.1", 0, null);
        assertThat(post(listener.baseUrl() + LOGIN).statusCode()).isEqualTo(503);

        listener.close();

        assertThat(waitFor(listener::threadsEnded)).as("the starting chain's threads ended").isTrue();
    }

    private HttpResponse<String> post(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code condition} for up to a minute (thread ends are asynchronous). */
    private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < giveUp) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
