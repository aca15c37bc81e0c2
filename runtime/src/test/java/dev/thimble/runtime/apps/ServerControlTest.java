package dev.thimble.runtime.apps;

import dev.thimble.testing.TestApps;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class ServerControlTest {
    private final AppModel todo = AppBundles.read(TestApps.TODO).app();

    @Test
    void whenThePreferredPortIsTakenTheServerUsesAFreeOneAndSaysSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerControl server = new ServerControl(new ServerControl.ServerSettings("127.0.0.1", taken.getLocalPort()))) {
            ServerStatus status = server.start(todo);

            assertThat(status.running()).isTrue();
            assertThat(status.baseUrl()).doesNotEndWith(":" + taken.getLocalPort());
            assertThat(status.notice()).contains("Port " + taken.getLocalPort() + " is in use");
            assertThat(get(status.clientApiUrl() + "/location")).isEqualTo(200);
        }
    }

    @Test
    void stopThenStartServesAgainWithTheDatabaseNamed() throws Exception {
        try (ServerControl server = new ServerControl(new ServerControl.ServerSettings("127.0.0.1", 0))) {
            ServerStatus first = server.start(todo);
            assertThat(first.database()).contains("embedded");
            assertThat(first.notice()).isEmpty();

            assertThat(server.stop()).isEqualTo(ServerStatus.stopped());
            assertThat(server.stop()).isEqualTo(ServerStatus.stopped());

            ServerStatus again = server.restart(todo);
            assertThat(again.running()).isTrue();
            assertThat(get(again.clientApiUrl() + "/location")).isEqualTo(200);
        }
    }

    private static int get(String url) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }
}
