package dev.thimble.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Stitch-layout webhook whose secret is written inline ({@code options.secret}), in both the
 * {@code validationMethod} form and the 2018 {@code secretAsQueryParam} form, served by a real
 * {@code thimble serve} process with an empty secret store: what {@code validate} accepts, serve runs.
 */
class ServeInlineSecretTest {
    @TempDir
    Path temp;

    @Test
    void aWebhookWithAnInlineSecretAnswersUnderServeAsValidateSaid() throws Exception {
        Path app = temp.resolve("hooks");
        write(app.resolve("stitch.json"), "{\"name\": \"hooks\", \"app_id\": \"hooks-abcde\"}");
        write(app.resolve("services/http/config.json"), "{\"name\": \"http\", \"type\": \"http\", \"config\": {}}");
        write(app.resolve("services/http/incoming_webhooks/echo/config.json"), "{\"name\": \"echo\", \"respond_result\": true,"
                + " \"options\": {\"httpMethod\": \"GET\", \"validationMethod\": \"SECRET_AS_QUERY_PARAM\", \"secret\": \"inline-s3cret\"}}");
        write(app.resolve("services/http/incoming_webhooks/echo/source.js"), "exports = function(payload) { return {ok: payload.query.who}; };");
        write(app.resolve("services/http/incoming_webhooks/old/config.json"), "{\"name\": \"old\", \"respond_result\": true,"
                + " \"options\": {\"httpMethod\": \"GET\", \"secret\": \"old-s3cret\", \"secretAsQueryParam\": true}}");
        write(app.resolve("services/http/incoming_webhooks/old/source.js"), "exports = function() { return 'old ok'; };");
        Path home = temp.resolve("home");

        CliRun validate = CliRun.of("validate", app.toString());
        assertThat(validate.out()).contains("valid (0 errors");

        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), "-Dthimble.home=" + home,
                Thimble.class.getName(), "serve", app.toString(), "--port", "0", "--data", temp.resolve("data").toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Pattern ready = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/api/client/v2\\.0/app/hooks-abcde) with embedded");
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
            assertThat(seen.toString()).contains("Moved 2 secret value(s) written in the bundle (webhook.http.echo, webhook.http.old)");

            String hooks = url + "/service/http/incoming_webhook/";
            assertThat(get(hooks + "echo?secret=inline-s3cret&who=ann")).isEqualTo("200 {\"ok\": \"ann\"}");
            assertThat(get(hooks + "echo?secret=wrong&who=ann")).startsWith("403 ");
            assertThat(get(hooks + "old?secret=old-s3cret")).isEqualTo("200 \"old ok\"");
            assertThat(get(hooks + "old")).startsWith("401 ");
            assertThat(Files.readString(home.resolve("apps/hooks-abcde/secrets.json"))).contains("inline-s3cret");
        } finally {
            process.destroy();
            process.waitFor(15, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
