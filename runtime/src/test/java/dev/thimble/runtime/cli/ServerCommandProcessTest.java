package dev.thimble.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code thimble server --home} as a real process: it lists what it serves and what it leaves out, answers for each app, stops on SIGTERM. */
class ServerCommandProcessTest {
    @TempDir
    Path home;

    @Test
    void serverListsItsAppsAndTheBrokenOneAnswersForEachAndStopsOnSigterm() throws Exception {
        copy(Path.of("../examples/todo"), home.resolve("todo"));
        copy(Path.of("../examples/clinic"), home.resolve("clinic"));
        Files.createDirectories(home.resolve("empty"));
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"),
                Thimble.class.getName(), "server", "--home", home.toString(), "--port", "0")
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Pattern ready = Pattern.compile("Serving the home .* at (http://127\\.0\\.0\\.1:\\d+) with embedded");
            String baseUrl = null;
            StringBuilder seen = new StringBuilder();
            for (String line; (line = output.readLine()) != null && !line.startsWith("Press Ctrl-C"); ) {
                seen.append(line).append('\n');
                Matcher matcher = ready.matcher(line);
                if (matcher.find()) {
                    baseUrl = matcher.group(1);
                }
            }
            assertThat(baseUrl).as("ready line in:\n" + seen).isNotNull();
            assertThat(seen.toString()).contains("  clinic: clinic at " + baseUrl + "/api/client/v2.0/app/clinic-thmbl",
                    "  todo: todo at " + baseUrl + "/api/client/v2.0/app/todo-thmbl", "  empty: NOT SERVED, ").contains("empty is not an app bundle");

            HttpClient http = HttpClient.newHttpClient();
            for (String appId : new String[] {"todo-thmbl", "clinic-thmbl"}) {
                HttpResponse<String> location = http.send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/api/client/v2.0/app/" + appId + "/location")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(location.statusCode()).as(appId).isEqualTo(200);
            }

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
        } finally {
            process.destroyForcibly();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
