package dev.thimble.runtime.cli;

import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.data.DatabaseUnavailableException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * {@code thimble serve}'s database, opened on a background thread while the bundle is validated (decision
 * 0023): the two are independent once the bundle is read (its client app id names the data folder), and
 * each takes seconds on a cold JVM. Nothing serves before both are done, so no request can see a database
 * of an app that turns out invalid. When validation fails, {@link #discard()} closes the database and
 * removes the data folder if this run created it, so a rejected bundle leaves nothing behind.
 */
final class EarlyDatabase {
    private final CompletableFuture<Database> opening;
    private final Path createdFolder;

    private EarlyDatabase(CompletableFuture<Database> opening, Path createdFolder) {
        this.opening = opening;
        this.createdFolder = createdFolder;
    }

    /** Starts opening {@code settings}' database on a daemon thread; returns at once. */
    static EarlyDatabase openInBackground(DatabaseSettings settings) {
        Path folder = settings instanceof DatabaseSettings.Embedded embedded ? embedded.dataDirectory() : null;
        Path created = null; // the outermost folder opening will create (the app's folder in ~/.thimble/apps too)
        for (Path f = folder == null ? null : folder.toAbsolutePath(); f != null && !Files.exists(f); f = f.getParent()) {
            created = f;
        }
        CompletableFuture<Database> opening = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                Database database = Database.open(settings);
                StartupTrace.mark(StartupTrace.DATABASE_OPEN);
                opening.complete(database);
            } catch (RuntimeException | Error e) {
                opening.completeExceptionally(e);
            }
        }, "thimble-open-database");
        thread.setDaemon(true);
        thread.start();
        return new EarlyDatabase(opening, created);
    }

    /** The opened database (waits for it); throws what opening threw. */
    Database await() {
        try {
            return opening.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailableException("interrupted while the database was opening");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The bundle was rejected: waits for the opening to end, closes the database, removes a folder it created. */
    void discard() {
        try {
            await().close();
        } catch (RuntimeException | Error ignored) {
            // the bundle's errors are what the user needs to see; this database was never used
        }
        if (createdFolder != null) {
            deleteTree(createdFolder);
        }
    }

    private static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | RuntimeException ignored) {
            // best effort: an empty data folder does no harm
        }
    }
}
