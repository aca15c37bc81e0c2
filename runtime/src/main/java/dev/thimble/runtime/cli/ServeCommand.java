package dev.thimble.runtime.cli;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.app.ClientAppIds;
import dev.thimble.runtime.app.LoadResult;
import dev.thimble.runtime.app.UnservedParts;
import dev.thimble.runtime.data.DataDirectories;
import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.server.EarlyListener;
import dev.thimble.runtime.values.SecretStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

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
        AppHost host = start(appDir, options, out, listener -> { });
        AppModel app = host.app();
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

    /**
     * Starts serving {@code appDir} and returns the running host. The port listens first
     * ({@link EarlyListener}): once the bundle is read it answers the location route, and 503 with
     * Retry-After elsewhere, while the bundle is validated and the database opens (side by side,
     * {@link EarlyDatabase}) and the app is assembled; then the app's own chain takes the port over.
     * A bundle with errors, or an app that cannot start, closes the port again and fails with a
     * UserError.
     *
     * @param beforeAssembly called with the listener once the bundle is valid, just before the app is
     *                       assembled (tests hold the start there)
     */
    static AppHost start(Path appDir, ServeOptions options, PrintWriter out, Consumer<EarlyListener> beforeAssembly) {
        if (options.exposeDatabasePort != null && (options.exposeDatabasePort < 0 || options.exposeDatabasePort > 65535)) {
            throw new UserError("--expose-database takes a port from 1 to 65535, or 0 for any free one; was "
                    + options.exposeDatabasePort + ".");
        }
        StartupTrace.mark(StartupTrace.COMMAND);
        // the bundle is read while the port is bound (both before the location route can answer); a port in use is
        // still reported first, and a bundle that cannot be read once the port listens
        CompletableFuture<LoadResult> reading = CompletableFuture.supplyAsync(() -> Bundles.read(appDir), ServeCommand::onDaemon);
        EarlyListener listener = listen(options);
        StartupTrace.mark(StartupTrace.LISTENING);
        try {
            LoadResult read = joined(reading);
            if (read.app() != null) {
                listener.knowApp(read.app());
            }
            StartupTrace.mark(StartupTrace.BUNDLE_READ);
            // the GraalJS engine warms up while the bundle is validated; started only now, so on a busy
            // machine it does not slow the port's bind and the bundle's read, which the location route waits for
            dev.thimble.runtime.StartupWarming.start();
            // the database opens while the functions are parsed; only the location route answers until both are done
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
            try {
                AppHost.HostSettings settings = AppHost.HostSettings.of(options.host, options.port, database, secrets)
                        .withPublicUrl(options.publicUrl).withFunctionModules(functionModules(appDir, app, out));
                beforeAssembly.accept(listener);
                AppHost host = AppHost.startOn(app, settings, early != null ? early.await() : Database.open(database), listener);
                host.server().verboseErrors(options.verboseErrors);
                return host;
            } catch (RuntimeException e) {
                throw new UserError("Cannot start " + app.name() + ": " + e.getMessage());
            }
        } catch (RuntimeException | Error e) {
            listener.close();
            throw e;
        }
    }

    private static void onDaemon(Runnable task) {
        Thread thread = new Thread(task, "thimble-bundle-read");
        thread.setDaemon(true);
        thread.start();
    }

    /** The read bundle, or what reading it threw (a UserError for a missing bundle), as if read on this thread. */
    private static LoadResult joined(CompletableFuture<LoadResult> reading) {
        try {
            return reading.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Binds the client API's port; a port in use or a bad public URL is the user's to fix. */
    private static EarlyListener listen(ServeOptions options) {
        try {
            return EarlyListener.bind(options.host, options.port, options.publicUrl);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new UserError("Cannot listen on " + options.host + ":" + options.port + ": " + cause.getMessage()
                    + ". Choose another port with --port (0 picks a free one).");
        }
    }
}
