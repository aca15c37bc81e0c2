package dev.thimble.runtime.server;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.ServerOfApps;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.logs.LogQuery;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.runtime.values.SecretStore;
import dev.thimble.testing.TestApps;
import io.undertow.util.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a server of several apps each app's requests are logged in that app's log by the same chain,
 * and another API mounted beside the client APIs (the admin API's place) answers its prefix while the
 * apps keep answering theirs.
 */
class MultiAppRequestLogTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private ServerOfApps server;
    private AppHost todo;

    @AfterEach
    void stop() {
        if (todo != null) {
            todo.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start() {
        server = ServerOfApps.start("127.0.0.1", 0, DatabaseSettings.embedded(dir.resolve("db")));
        AppModel model = AppBundles.read(TestApps.copyOfTodo(dir)).app();
        todo = server.mount(model, new SecretStore(dir.resolve("secrets.json")), null, null);
    }

    @Test
    void aMountedAppsLoginIsAnAuthRecordInItsOwnLog() throws Exception {
        start();
        HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(todo.clientApiUrl() + "/auth/providers/anon-user/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(login.statusCode()).isEqualTo(200);
        HttpResponse<String> noRoute = send(HttpRequest.newBuilder(URI.create(todo.clientApiUrl() + "/no/such/route")).GET());
        assertThat(noRoute.statusCode()).isEqualTo(404);

        List<LogRecord> records = todo.logs().query(LogQuery.all()).records();
        assertThat(records).filteredOn(r -> r.type() == LogType.AUTH)
                .singleElement().satisfies(r -> {
                    assertThat(r.status()).isEqualTo(LogStatus.SUCCESS);
                    assertThat(r.authEvent().provider()).isEqualTo("anon-user");
                    assertThat(login.body()).contains(r.userId());
                });
        assertThat(records).filteredOn(r -> r.type() == LogType.API && "NotFound".equals(r.errorCode())).hasSize(1);
    }

    @Test
    void aRequestForAnAppIdNoAppHasIsOneLineInTheServersLog() throws Exception {
        start();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(UnroutedRequests.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            HttpResponse<String> unknown = send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                    + "/api/client/v2.0/app/nobody-here/location?secret=not-logged")).GET());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("AppNotFound");
            HttpResponse<String> location = send(HttpRequest.newBuilder(URI.create(todo.clientApiUrl() + "/location")).GET());
            assertThat(location.statusCode()).isEqualTo(200);
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).as("one line for the unrouted request, none for the app's")
                .singleElement().satisfies(line -> {
                    assertThat(line.getFormattedMessage())
                            .contains("GET /api/client/v2.0/app/nobody-here/location -> 404 AppNotFound")
                            .contains("There is no app with client app id")
                            .doesNotContain("not-logged");
                });
        assertThat(todo.logs().query(LogQuery.all()).records()).as("not in the app's log")
                .noneMatch(r -> r.requestUrl() != null && r.requestUrl().contains("nobody-here"));
    }

    @Test
    void anotherApiMountedBesideTheClientApisAnswersItsPrefix() throws Exception {
        start();
        server.mountAdmin(exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            exchange.getResponseSender().send("admin " + exchange.getRequestPath());
        });

        HttpResponse<String> admin = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/admin/v3.0/groups")).GET());
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).isEqualTo("admin /api/admin/v3.0/groups");
        HttpResponse<String> location = send(HttpRequest.newBuilder(URI.create(todo.clientApiUrl() + "/location")).GET());
        assertThat(location.statusCode()).as("the apps still answer").isEqualTo(200);
        assertThat(todo.logs().query(LogQuery.all()).records()).as("the other API's requests are not the app's")
                .noneMatch(r -> r.requestUrl() != null && r.requestUrl().startsWith("/api/admin"));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
