package dev.thimble.runtime.auth;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.thimble.runtime.time.Ticker;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users and their identities, kept in the app's state database (never only in memory). Every request
 * needs its user, so users read by id are cached for a few seconds: every change made through this
 * store drops the cached copy at once; a change made by another node is seen within {@link #CACHE_TTL}.
 */
public final class UserStore {
    static final Duration CACHE_TTL = Duration.ofSeconds(10);

    private record Cached(User user, long expiresAtNanos) {
    }

    private final MongoCollection<Document> users;
    private final Map<String, Cached> byId = new ConcurrentHashMap<>();
    private final Ticker ticker;

    public UserStore(MongoDatabase stateDatabase) {
        this(stateDatabase, Ticker.SYSTEM);
    }

    /** @param ticker the elapsed time the cache's lifetime is measured in (tests move it) */
    public UserStore(MongoDatabase stateDatabase, Ticker ticker) {
        this.users = stateDatabase.getCollection("users");
        this.ticker = ticker;
    }

    public Optional<User> find(String userId) {
        if (!ObjectId.isValid(userId)) {
            return Optional.empty();
        }
        Cached cached = byId.get(userId);
        if (cached != null && ticker.nanos() - cached.expiresAtNanos() < 0) {
            return Optional.of(cached.user());
        }
        Optional<User> loaded = Optional.ofNullable(users.find(Filters.eq("_id", new ObjectId(userId))).first()).map(UserStore::toUser);
        loaded.ifPresentOrElse(user -> byId.put(userId, new Cached(user, ticker.nanos() + CACHE_TTL.toNanos())),
                () -> byId.remove(userId));
        return loaded;
    }

    public Optional<User> findByIdentity(String providerType, String identityId) {
        Document found = users.find(Filters.elemMatch("identities",
                Filters.and(Filters.eq("provider_type", providerType), Filters.eq("id", identityId)))).first();
        return Optional.ofNullable(found).map(UserStore::toUser);
    }

    public User create(String type, User.Identity identity, Document data, Instant now) {
        ObjectId id = new ObjectId();
        Document user = new Document("_id", id)
                .append("type", type)
                .append("data", data)
                .append("identities", List.of(toDocument(identity)))
                .append("disabled", false)
                .append("created", Date.from(now))
                .append("last_authenticated", Date.from(now));
        users.insertOne(user);
        return toUser(user);
    }

    public void touch(String userId, Instant now) {
        users.updateOne(Filters.eq("_id", new ObjectId(userId)), Updates.set("last_authenticated", Date.from(now)));
        byId.remove(userId);
    }

    /** Adds an identity to a user (account linking) and merges its metadata into the user's data. */
    public void link(String userId, User.Identity identity, Document data) {
        List<org.bson.conversions.Bson> updates = new ArrayList<>();
        updates.add(Updates.push("identities", toDocument(identity)));
        data.forEach((key, value) -> updates.add(Updates.set("data." + key, value)));
        users.updateOne(Filters.eq("_id", new ObjectId(userId)), Updates.combine(updates));
        byId.remove(userId);
    }

    /**
     * Refreshes what a provider says about an identity at login: its {@code provider_data} and the
     * same fields in the user's data (other fields of the user's data are kept).
     */
    public void updateIdentityData(String userId, User.Identity identity, Document data) {
        List<org.bson.conversions.Bson> updates = new ArrayList<>();
        data.forEach((key, value) -> updates.add(Updates.set("data." + key, value)));
        updates.add(Updates.set("identities.$.provider_data", identity.providerData()));
        users.updateOne(Filters.and(Filters.eq("_id", new ObjectId(userId)), Filters.elemMatch("identities",
                Filters.and(Filters.eq("provider_type", identity.providerType()), Filters.eq("id", identity.id())))),
                Updates.combine(updates));
        byId.remove(userId);
    }

    public void setDisabled(String userId, boolean disabled) {
        users.updateOne(Filters.eq("_id", new ObjectId(userId)), Updates.set("disabled", disabled));
        byId.remove(userId);
    }

    public boolean delete(String userId) {
        boolean deleted = ObjectId.isValid(userId) && users.deleteOne(Filters.eq("_id", new ObjectId(userId))).getDeletedCount() == 1;
        byId.remove(userId);
        return deleted;
    }

    public List<User> list() {
        List<User> all = new ArrayList<>();
        users.find().sort(new Document("_id", 1)).forEach(d -> all.add(toUser(d)));
        return all;
    }

    private static Document toDocument(User.Identity identity) {
        return new Document("id", identity.id())
                .append("provider_type", identity.providerType())
                .append("provider_id", identity.providerId())
                .append("provider_data", identity.providerData());
    }

    private static User toUser(Document d) {
        List<User.Identity> identities = new ArrayList<>();
        for (Document identity : d.getList("identities", Document.class, List.of())) {
            identities.add(new User.Identity(identity.getString("id"), identity.getString("provider_type"),
                    identity.getString("provider_id"), identity.get("provider_data", Document.class)));
        }
        Date created = d.getDate("created");
        Date last = d.getDate("last_authenticated");
        return new User(d.getObjectId("_id").toHexString(), d.getString("type"), d.get("data", new Document()), identities,
                d.getBoolean("disabled", false), created == null ? null : created.toInstant(), last == null ? null : last.toInstant());
    }
}
