package dev.thimble.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code thimble serve} as a real process: it prints one ready line, answers, and stops on SIGTERM. */
class ServeCommandProcessTest {
    @TempDir
    Path data;

    @Test
    void serveAnnouncesTheClientApiUrlAnswersLocationAndStopsOnSigterm() throws Exception {
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"),
                "-Dthimble.home=" + System.getProperty("thimble.home"),
                Thimble.class.getName(), "serve", "../examples/todo", "--port", "0", "--data", data.toString())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Pattern ready = Pattern.compile("Serving todo \\(client app id todo-thmbl\\) at (http://127\\.0\\.0\\.1:\\d+/api/client/v2\\.0/app/todo-thmbl) with embedded");
            String url = null;
            StringBuilder seen = new StringBuilder();
            for (String line; url == null && (line = output.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher matcher = ready.matcher(line);
                if (matcher.find()) {
                    url = matcher.group(1);
                }
            }
            assertThat(url).as("ready line in:\n" + seen).isNotNull();

            HttpResponse<String> location = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/location")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(location.statusCode()).isEqualTo(200);

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
        } finally {
            process.destroyForcibly();
        }
    }
}
