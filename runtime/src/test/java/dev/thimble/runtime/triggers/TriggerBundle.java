package dev.thimble.runtime.triggers;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.values.SecretStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Writes a small app bundle in the Stitch layout (functions, triggers, mongodb-atlas, two auth providers) and reads it back. */
final class TriggerBundle {
    static final String APP_ID = "trig-abcde";
    private final Path dir;

    private TriggerBundle(Path dir) {
        this.dir = dir;
        write("stitch.json", "{\"app_id\": \"" + APP_ID + "\", \"config_version\": 20180301, \"name\": \"trig\"}");
        write("services/mongodb-atlas/config.json", "{\"name\": \"mongodb-atlas\", \"type\": \"mongodb-atlas\", \"config\": {}}");
        write("auth_providers/anon-user.json", "{\"name\": \"anon-user\", \"type\": \"anon-user\", \"disabled\": false}");
        write("auth_providers/local-userpass.json", "{\"name\": \"local-userpass\", \"type\": \"local-userpass\", \"disabled\": false,"
                + " \"config\": {\"autoConfirm\": true, \"emailConfirmationUrl\": \"http://localhost/c\", \"resetPasswordUrl\": \"http://localhost/r\","
                + " \"confirmEmailSubject\": \"c\", \"resetPasswordSubject\": \"r\"}}");
    }

    static TriggerBundle in(Path dir) {
        return new TriggerBundle(dir);
    }

    TriggerBundle function(String name, String source) {
        return function(name, "", source);
    }

    /** A private function; {@code extraConfig} is spliced into its config.json (e.g. {@code "disable_arg_logs": true}). */
    TriggerBundle function(String name, String extraConfig, String source) {
        write("functions/" + name + "/config.json", "{\"name\": \"" + name + "\", \"private\": true"
                + (extraConfig.isEmpty() ? "" : ", " + extraConfig) + "}");
        write("functions/" + name + "/source.js", source);
        return this;
    }

    /** A function that stores its argument (the event) in {@code sink.<collection>} with the trigger's name. */
    TriggerBundle recorder(String name, String collection) {
        return function(name, "exports = async function(event) {\n"
                + "  await context.services.get('mongodb-atlas').db('sink').collection('" + collection + "')"
                + ".insertOne({event: event, at: new Date()});\n};\n");
    }

    /** A database trigger on {@code db.coll}; {@code extraConfig} is spliced into its config (e.g. {@code "full_document": true}). */
    TriggerBundle databaseTrigger(String name, String db, String coll, String types, String extraConfig, String function) {
        String extra = extraConfig.isEmpty() ? "" : ", " + extraConfig;
        return trigger(name, "{\"name\": \"" + name + "\", \"type\": \"DATABASE\", \"function_name\": \"" + function + "\","
                + " \"config\": {\"service_name\": \"mongodb-atlas\", \"database\": \"" + db + "\", \"collection\": \"" + coll + "\","
                + " \"operation_types\": " + types + extra + "}, \"disabled\": false}");
    }

    TriggerBundle trigger(String name, String json) {
        write("triggers/" + name + ".json", json);
        return this;
    }

    /** Removes a trigger's file. */
    TriggerBundle without(String trigger) {
        try {
            Files.deleteIfExists(dir.resolve("triggers/" + trigger + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    AppModel read() {
        var result = AppBundles.read(dir);
        return result.app();
    }

    static AppHost serve(AppModel app, Path data, TriggerSettings triggers) {
        return AppHost.start(app, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(data),
                new SecretStore(data.resolveSibling(data.getFileName() + "-secrets.json"))), triggers);
    }

    /** A first node whose embedded database also listens on a loopback TCP port (the opt-in of {@code --expose-database}), for second nodes. */
    static AppHost serveForOtherNodes(AppModel app, Path data, TriggerSettings triggers) {
        return AppHost.start(app, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embeddedOnTcp(data, 0),
                new SecretStore(data.resolveSibling(data.getFileName() + "-secrets.json"))), triggers);
    }

    /** A second node: the same app on the database behind {@code uri} (e.g. another host's embedded server). */
    static AppHost serveRemote(AppModel app, String uri, Path secrets, TriggerSettings triggers) {
        return AppHost.start(app, AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.external(uri), new SecretStore(secrets)), triggers);
    }

    static Path secretsOf(Path data) {
        return data.resolveSibling(data.getFileName() + "-secrets.json");
    }

    /** Short leases, so tests see takeovers within a couple of seconds. */
    static TriggerSettings quick() {
        return TriggerSettings.defaults().withLeases(Duration.ofMillis(1500), Duration.ofMillis(300));
    }

    private void write(String path, String text) {
        try {
            Path file = dir.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
