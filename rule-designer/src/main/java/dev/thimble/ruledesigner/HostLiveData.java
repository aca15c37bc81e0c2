package dev.thimble.ruledesigner;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.Json;
import dev.thimble.runtime.auth.AuthStores;
import dev.thimble.runtime.auth.User;
import dev.thimble.runtime.logs.LogPage;
import dev.thimble.runtime.logs.LogQuery;
import dev.thimble.runtime.logs.LogRecord;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link LiveData} of an {@link AppHost}: its database through the driver, its user store and log service. */
public final class HostLiveData implements LiveData {
    private final AppHost host;

    public HostLiveData(AppHost host) {
        this.host = host;
    }

    private MongoCollection<Document> collection(String namespace) {
        int dot = namespace.indexOf('.');
        if (dot <= 0) {
            throw new DesignException("namespace", "\"" + namespace + "\" is not db.collection");
        }
        return host.database().database(namespace.substring(0, dot)).getCollection(namespace.substring(dot + 1));
    }

    @Override
    public List<Document> sample(String namespace, int limit) {
        return collection(namespace).find().limit(limit).into(new ArrayList<>());
    }

    @Override
    public Optional<Document> findOne(String namespace, Document query) {
        return Optional.ofNullable(collection(namespace).find(query == null ? new Document() : query).first());
    }

    @Override
    public List<Document> find(String namespace, Document query, int limit) {
        return collection(namespace).find(query == null ? new Document() : query).limit(limit).into(new ArrayList<>());
    }

    @Override
    public List<Document> indexKeys(String namespace) {
        List<Document> out = new ArrayList<>();
        for (Document index : collection(namespace).listIndexes()) {
            if (index.get("key") instanceof Document key) {
                out.add(key);
            }
        }
        return out;
    }

    @Override
    public List<KnownUser> users() {
        List<KnownUser> out = new ArrayList<>();
        for (User user : store().users().list()) {
            out.add(known(user));
        }
        return out;
    }

    @Override
    public Optional<KnownUser> user(String id) {
        return store().users().find(id).map(this::known);
    }

    @Override
    public List<String> customDataFields() {
        Json config = host.app().customUserData();
        if (!config.bool("enabled", false)) {
            return List.of();
        }
        java.util.Set<String> names = new java.util.TreeSet<>();
        host.database().database(config.text("database_name", "")).getCollection(config.text("collection_name", ""))
                .find().limit(50).forEach(d -> names.addAll(d.keySet()));
        names.remove("_id");
        return List.copyOf(names);
    }

    /** Through the log service's query API (stored records, newest first), so users of requests before a restart count too. */
    @Override
    public List<LogRecord> recentLogs(int limit) {
        int wanted = Math.max(1, limit);
        List<LogRecord> out = new ArrayList<>();
        LogQuery query = LogQuery.all().withLimit(Math.min(wanted, LogQuery.MAX_LIMIT));
        while (out.size() < wanted) {
            LogPage page = host.logs().query(query);
            out.addAll(page.records());
            if (!page.hasMore() || page.records().isEmpty()) {
                break;
            }
            query = query.next(page);
        }
        return out.size() > wanted ? out.subList(0, wanted) : out;
    }

    private AuthStores store() {
        return AuthStores.in(host.database().database(AppHost.stateDatabaseName(host.app().clientAppId())));
    }

    private KnownUser known(User user) {
        Document custom = customData(user.id());
        String email = user.data().get("email") instanceof String s ? s : null;
        String provider = user.identities().isEmpty() ? user.type() : user.identities().get(0).providerType();
        String label = (email != null ? email : user.id()) + " (" + provider + ")";
        return new KnownUser(user.id(), label, user.principal(custom));
    }

    /** The custom user data document, found the way the server finds it at login (STITCH-SPEC §6). */
    private Document customData(String userId) {
        Json config = host.app().customUserData();
        if (!config.bool("enabled", false)) {
            return new Document();
        }
        Document found = host.database().database(config.text("database_name", ""))
                .getCollection(config.text("collection_name", ""))
                .find(Filters.eq(config.text("user_id_field", "user_id"), userId)).first();
        return found == null ? new Document() : found;
    }
}
