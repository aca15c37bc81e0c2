package dev.thimble.debugger;

import dev.thimble.runtime.AppHost;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** {@link DebugApp} for tests in other packages (the UI tests). */
public final class TestHosts {
    private TestHosts() {
    }

    public record Login(String accessToken, String userId) {
    }

    public static AppHost start(Path tmp) {
        return DebugApp.start(tmp);
    }

    public static Login login(AppHost host) throws Exception {
        DebugApp.Login l = DebugApp.login(host);
        return new Login(l.accessToken(), l.userId());
    }

    public static CompletableFuture<HttpResponse<String>> call(AppHost host, Login login, String name, String argumentsJson) {
        return DebugApp.call(host, new DebugApp.Login(login.accessToken(), login.userId()), name, argumentsJson);
    }
}
