package dev.thimble.runtime.cli;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.auth.ApiKeyStore;
import dev.thimble.runtime.data.DataDirectories;
import dev.thimble.runtime.data.Database;
import dev.thimble.runtime.data.DatabaseSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Function;

@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"Manages the app's server API keys: they log in through the api-key provider as \"server\" users.",
                "Keys live in the app's database, so stop a running `thimble serve` on the embedded database first."},
        subcommands = {KeysCommand.CreateKey.class, KeysCommand.ListKeys.class, KeysCommand.DeleteKey.class})
final class KeysCommand {
    private KeysCommand() {
    }

    /** Where the app's database is: the same options as {@code serve}. */
    static final class DatabaseOptions {
        @Option(names = "--data", paramLabel = "DIR", description = "Folder of the embedded database (default: ~/.thimble/apps/<client app id>/data).")
        Path dataDir;

        @Option(names = "--mongo-uri", paramLabel = "URI", description = "The app's MongoDB, when it does not use the embedded database.")
        String mongoUri;

        <T> T withKeys(Path appDir, Function<ApiKeyStore, T> work) {
            AppModel app = Bundles.read(appDir).app();
            if (app == null) {
                throw new UserError(appDir + " is not a readable app bundle; run thimble validate " + appDir + " to see why.");
            }
            DatabaseSettings settings = mongoUri != null ? DatabaseSettings.external(mongoUri)
                    : DatabaseSettings.embedded(dataDir != null ? dataDir : DataDirectories.forApp(app.clientAppId()));
            try (Database database = Database.open(settings)) {
                return work.apply(new ApiKeyStore(database.database(AppHost.stateDatabaseName(app.clientAppId()))));
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            } catch (RuntimeException e) {
                throw new UserError("Cannot open the app's database: " + e.getMessage()
                        + " (is `thimble serve` running on it? Stop it first.)");
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a server API key and prints it once: store it now.")
    static final class CreateKey implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "APP_DIR") Path appDir;
        @Option(names = "--name", required = true, description = "A name for the key, e.g. the service that will use it.") String name;
        @picocli.CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @Override
        public Integer call() {
            if (name.isBlank() || name.length() > 100) {
                throw new UserError("A key name needs 1 to 100 characters.");
            }
            ApiKeyStore.CreatedKey created = database.withKeys(appDir, keys -> keys.create(name, null, Instant.now()));
            PrintWriter out = spec.commandLine().getOut();
            out.println("Created server API key \"" + created.key().name() + "\" (id " + created.key().id() + "):");
            out.println(created.secret());
            out.println("This is the only time the key is shown; it is stored hashed.");
            return Thimble.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the server API keys (names and ids, never the keys).")
    static final class ListKeys implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "APP_DIR") Path appDir;
        @picocli.CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @Override
        public Integer call() {
            var keys = database.withKeys(appDir, store -> store.listOf(null));
            PrintWriter out = spec.commandLine().getOut();
            if (keys.isEmpty()) {
                out.println("No server API keys. Create one with: thimble keys create " + appDir + " --name NAME");
            }
            keys.forEach(k -> out.println(k.id() + "  " + k.name() + (k.disabled() ? "  (disabled)" : "") + "  created " + k.created()));
            return Thimble.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a server API key by name or id; logins with it stop working.")
    static final class DeleteKey implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "APP_DIR") Path appDir;
        @Parameters(index = "1", paramLabel = "NAME|ID") String key;
        @picocli.CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

        @Override
        public Integer call() {
            boolean deleted = database.withKeys(appDir, store -> store.deleteServerKey(key));
            if (!deleted) {
                throw new UserError("There is no server API key named or with id \"" + key + "\". See: thimble keys list " + appDir);
            }
            spec.commandLine().getOut().println("Deleted server API key " + key + ".");
            return Thimble.OK;
        }
    }
}
