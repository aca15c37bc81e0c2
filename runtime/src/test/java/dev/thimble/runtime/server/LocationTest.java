package dev.thimble.runtime.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The location route tells the SDKs where to send every later request (and so the user's tokens):
 * a forged {@code Host} header must not be able to redirect them.
 */
class LocationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void aConfiguredPublicUrlIsAnsweredWhateverTheHostHeaderSays() throws IOException {
        try (AppHost host = start("https://todo.example.com/")) {
            JsonNode location = location(host, "evil.example.net");

            assertThat(location.get("hostname").asText()).isEqualTo("https://todo.example.com");
            assertThat(location.get("ws_hostname").asText()).isEqualTo("wss://todo.example.com");
        }
    }

    @Test
    void withoutAPublicUrlAPlainHostIsEchoedAndAnythingElseGetsTheServersOwnAddress() throws IOException {
        try (AppHost host = start(null)) {
            assertThat(location(host, "localhost:" + host.server().port()).get("hostname").asText())
                    .isEqualTo("http://localhost:" + host.server().port());
            assertThat(location(host, "evil_host.example.net").get("hostname").asText())
                    .isEqualTo(host.server().baseUrl());
        }
    }

    @Test
    void aPublicUrlThatIsNotAnOriginIsRefusedAtStart() {
        assertThatThrownBy(() -> start("https://todo.example.com/app?x=1"))
                .hasMessageContaining("must be an origin");
        assertThatThrownBy(() -> start("ftp://todo.example.com"))
                .hasMessageContaining("must be an origin");
    }

    private AppHost start(String publicUrl) {
        return AppHost.start(AppBundles.read(Path.of("../examples/todo")).app(),
                AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(temp.resolve("db")),
                        new SecretStore(temp.resolve("s.json"))).withPublicUrl(publicUrl));
    }

    /** GET location with a raw socket: java.net.http does not let a caller set Host. */
    private static JsonNode location(AppHost host, String hostHeader) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", host.server().port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/client/v2.0/app/todo-thmbl/location HTTP/1.1\r\nHost: " + hostHeader
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200");
            return MAPPER.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
        }
    }
}
