package dev.thimble.runtime.sync;

import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;
import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.data.DatabaseSettings;
import dev.thimble.runtime.sync.realmc.RealmC;
import dev.thimble.runtime.sync.realmc.RealmSyncClient;
import dev.thimble.runtime.sync.realmc.RealmSyncClient.ObjectClass;
import dev.thimble.runtime.sync.realmc.RealmSyncClient.Property;
import dev.thimble.runtime.values.SecretStore;

import java.nio.file.Path;
import java.util.List;

/** The flexible-sync test app ({@code src/test/resources/sync-app}) and the client schema that matches it. */
final class SyncApps {
    static final Path BUNDLE = Path.of("src/test/resources/sync-app");
    /** The same app with owner-only rules on {@code shop.items} and a {@code Note} class whose rule grants no role. */
    static final Path RULES_BUNDLE = Path.of("src/test/resources/sync-rules-app");

    /** The {@code Item} class as a Realm SDK app would declare it for {@code shop.items}. */
    static final List<ObjectClass> SCHEMA = List.of(new ObjectClass("Item", List.of(
            Property.primaryKey("_id", RealmC.RLM_PROPERTY_TYPE_OBJECT_ID),
            new Property("owner_id", RealmC.RLM_PROPERTY_TYPE_STRING, false, false),
            new Property("name", RealmC.RLM_PROPERTY_TYPE_STRING, false, false),
            Property.optional("price", RealmC.RLM_PROPERTY_TYPE_DOUBLE),
            Property.optional("quantity", RealmC.RLM_PROPERTY_TYPE_INT),
            Property.optional("in_stock", RealmC.RLM_PROPERTY_TYPE_BOOL),
            Property.optional("added", RealmC.RLM_PROPERTY_TYPE_TIMESTAMP),
            Property.optional("note", RealmC.RLM_PROPERTY_TYPE_STRING))));

    /** {@link #SCHEMA} plus the {@code Note} class of the rules app. */
    static final List<ObjectClass> RULES_SCHEMA = List.of(SCHEMA.getFirst(), new ObjectClass("Note", List.of(
            Property.primaryKey("_id", RealmC.RLM_PROPERTY_TYPE_OBJECT_ID),
            Property.optional("owner_id", RealmC.RLM_PROPERTY_TYPE_STRING),
            Property.optional("text", RealmC.RLM_PROPERTY_TYPE_STRING))));

    private SyncApps() {
    }

    static AppModel model() {
        return AppBundles.read(BUNDLE).app();
    }

    static AppHost serve(Path dir) {
        return serve(dir, BUNDLE);
    }

    static AppHost serve(Path dir, Path bundle) {
        return AppHost.start(AppBundles.read(bundle).app(), AppHost.HostSettings.of("127.0.0.1", 0, DatabaseSettings.embedded(dir.resolve("db")),
                new SecretStore(dir.resolve("secrets.json"))));
    }

    static RealmSyncClient client(AppHost host, Path dir) {
        return RealmSyncClient.open(host.baseUrl(), host.app().clientAppId(), dir, SCHEMA);
    }
}
