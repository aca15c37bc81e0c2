package dev.thimble.runtime.cli;

import dev.thimble.runtime.apps.AppHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Serves every app in a server home on one port, by client app id, until stopped (Ctrl-C or SIGTERM).",
                "Each folder of the home is an app bundle. Apps added, changed or removed while it runs start, reload or stop;",
                "a folder with errors is reported and stays out. The home's own state (the embedded database, each app's",
                "secrets) is in HOME/.thimble: set secrets with THIMBLE_HOME=HOME/.thimble thimble secrets set HOME/APP NAME."})
final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--home", required = true, paramLabel = "DIR", description = "The server home: a folder of app bundle folders.")
    Path home;

    @Option(names = "--port", defaultValue = "8080", description = "Port of the client API (0 picks a free one; default ${DEFAULT-VALUE}).")
    int port = 8080;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for all).")
    String host = "127.0.0.1";

    @Option(names = "--mongo-uri", paramLabel = "URI", description = "Use this MongoDB (a replica set or Atlas) for all apps instead of the embedded database.")
    String mongoUri;

    @Option(names = "--public-url", paramLabel = "URL", description = "The origin clients reach this server at, when behind a proxy.")
    String publicUrl;

    @Option(names = "--scan-interval", paramLabel = "MILLIS", defaultValue = "2000",
            description = "How often the home is checked for added, changed and removed apps (default ${DEFAULT-VALUE} ms).")
    long scanMillis = 2000;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        AppHome.Settings settings = new AppHome.Settings(host, port, mongoUri, publicUrl, Duration.ofMillis(scanMillis));
        AppHome appHome;
        try {
            appHome = AppHome.start(home, settings);
        } catch (RuntimeException e) {
            throw new UserError("Cannot serve the home " + home.toAbsolutePath() + ": " + e.getMessage());
        }
        dev.thimble.runtime.admin.AdminApi.mount(appHome);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            appHome.close();
            stopped.countDown();
        }, "thimble-shutdown"));
        out.println("Serving the home " + appHome.home() + " at " + appHome.baseUrl() + " with " + appHome.databaseDescription() + ":");
        appHome.served().forEach(s -> out.println("  " + s.folder() + ": " + s.name() + " at " + s.clientApiUrl()));
        appHome.broken().forEach(b -> out.println("  " + b.folder() + ": NOT SERVED, " + b.reason().replace("\n", "\n    ")));
        if (appHome.served().isEmpty() && appHome.broken().isEmpty()) {
            out.println("  (no apps yet: copy or import an app bundle folder into the home; it starts serving within seconds)");
        }
        out.println("Admin API: " + appHome.baseUrl() + dev.thimble.runtime.admin.AdminApi.BASE
                + (dev.thimble.runtime.admin.AdminIdentities.ofHome(appHome.home()).isEmpty()
                ? " (no admin yet: thimble admin users create --home " + appHome.home() + " EMAIL)" : ""));
        out.println("Press Ctrl-C to stop.");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Thimble.OK;
    }
}
