package dev.thimble.runtime.cli;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.ClientAppIds;
import dev.thimble.runtime.app.LoadResult;
import dev.thimble.runtime.app.UnservedParts;
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
import java.util.List;
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

    /**
     * The app's npm packages for its functions: its functions/node_modules folder, or its archive or lock
     * file unpacked or installed into the app's module cache. A failed install is reported and the server
     * still starts (only require() of those packages fails).
     */
    static Path functionModules(Path appDir, AppModel app, PrintWriter out) {
        if (!java.nio.file.Files.isDirectory(appDir)) {
            return null;
        }
        try {
            dev.thimble.runtime.npm.FunctionModules.Prepared prepared = dev.thimble.runtime.npm.FunctionModules.prepare(appDir,
                    dev.thimble.runtime.npm.FunctionModules.cacheFor(DataDirectories.home(), app.clientAppId()),
                    dev.thimble.runtime.npm.NpmInstaller.standard(), line -> {
                        out.println("npm: " + line);
                        out.flush();
                    });
            prepared.warnings().forEach(w -> out.println("Warning: " + w));
            if (prepared.root() != null) {
                out.println("Functions require npm packages from " + prepared.origin());
            }
            return prepared.root();
        } catch (java.io.IOException | RuntimeException e) {
            out.println("Warning: the functions' npm packages could not be prepared: " + e.getMessage()
                    + "; require() of them will fail until this is fixed");
            return null;
        } finally {
            out.flush();
        }
    }

    private static DatabaseSettings databaseSettings(ServeOptions options, AppModel app) {
        Path dataDir = options.dataDir != null ? options.dataDir : DataDirectories.forApp(app.clientAppId());
        return options.mongoUri != null ? DatabaseSettings.external(options.mongoUri)
                : options.exposeDatabasePort != null ? DatabaseSettings.embeddedOnTcp(dataDir, options.exposeDatabasePort)
                : DatabaseSettings.embedded(dataDir);
    }

    static int serve(Path appDir, ServeOptions options, PrintWriter out) {
        // the GraalJS engine and the server's classes warm up while the bundle is read and validated
        dev.thimble.runtime.StartupWarming.start();
        if (options.exposeDatabasePort != null && (options.exposeDatabasePort < 0 || options.exposeDatabasePort > 65535)) {
            throw new UserError("--expose-database takes a port from 1 to 65535, or 0 for any free one; was "
                    + options.exposeDatabasePort + ".");
        }
        LoadResult read = Bundles.read(appDir);
        // the database opens while the functions are parsed; nothing serves until both are done
        EarlyDatabase early = read.app() != null && (options.dataDir != null || options.mongoUri != null
                || ClientAppIds.usable(read.app().clientAppId()))
                ? EarlyDatabase.openInBackground(databaseSettings(options, read.app())) : null;
        LoadResult loaded;
        try {
            loaded = Bundles.requireValid(appDir, read, out);
        } catch (RuntimeException e) {
            if (early != null) {
                early.discard();
            }
            throw e;
        }
        StartupTrace.mark(StartupTrace.BUNDLE_VALID);
        AppModel app = loaded.app();
        SecretStore secrets = SecretStore.forApp(app.clientAppId());
        InlineSecrets.storeMissing(loaded, secrets, out);
        DatabaseSettings database = databaseSettings(options, app);
        AppHost host;
        try {
            AppHost.HostSettings settings = AppHost.HostSettings.of(options.host, options.port, database, secrets)
                    .withPublicUrl(options.publicUrl).withFunctionModules(functionModules(appDir, app, out));
            host = early != null ? AppHost.startOn(app, settings, early.await()) : AppHost.start(app, settings);
        } catch (RuntimeException e) {
            throw new UserError("Cannot start " + app.name() + ": " + e.getMessage());
        }
        host.server().verboseErrors(options.verboseErrors);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread shutdown = new Thread(() -> {
            host.close();
            stopped.countDown();
        }, "thimble-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        out.println("Serving " + app.name() + " (client app id " + app.clientAppId() + ") at " + host.clientApiUrl()
                + " with " + host.database().describe() + ". Press Ctrl-C to stop.");
        List<String> unserved = UnservedParts.keptNotServed(app);
        if (!unserved.isEmpty()) {
            out.println("Not served (kept in the bundle): " + String.join(", ", unserved) + ".");
        }
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
