package dev.thimble.runtime.cli;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.DataDirectories;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs an app headless: serves the client API until stopped (Ctrl-C or SIGTERM).")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "APP_DIR", description = "The app bundle to serve.")
    Path appDir;

    @Mixin
    ServeOptions options = new ServeOptions();

    @Override
    public Integer call() {
        return serve(appDir, options, spec.commandLine().getOut());
    }

    static int serve(Path appDir, ServeOptions options, PrintWriter out) {
        AppModel app = Bundles.loadValid(appDir, out);
        DatabaseSettings database = options.mongoUri != null
                ? DatabaseSettings.external(options.mongoUri)
                : DatabaseSettings.embedded(options.dataDir != null ? options.dataDir : DataDirectories.forApp(app.clientAppId()));
        AppHost host;
        try {
            host = AppHost.start(app, AppHost.HostSettings.of(options.host, options.port, database,
                    SecretStore.forApp(app.clientAppId())).withPublicUrl(options.publicUrl));
        } catch (RuntimeException e) {
            throw new UserError("Cannot start " + app.name() + ": " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread shutdown = new Thread(() -> {
            host.close();
            stopped.countDown();
        }, "thimble-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        out.println("Serving " + app.name() + " (client app id " + app.clientAppId() + ") at " + host.clientApiUrl()
                + " with " + host.database().describe() + ". Press Ctrl-C to stop.");
        out.flush();
        StartupTrace.mark(StartupTrace.SERVING);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Thimble.OK;
    }
}
