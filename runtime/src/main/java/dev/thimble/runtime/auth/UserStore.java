package dev.thimble.runtime.auth;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/** Users and their identities, kept in the app's state database (never only in memory). */
public final class UserStore {
    private final MongoCollection<Document> users;

    public UserStore(MongoDatabase stateDatabase) {
        this.users = stateDatabase.getCollection("users");
    }

    public Optional<User> find(String userId) {
        if (!ObjectId.isValid(userId)) {
            return Optional.empty();
        }
        return Optional.ofNullable(users.find(Filters.eq("_id", new ObjectId(userId))).first()).map(UserStore::toUser);
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
    }

    /** Adds an identity to a user (account linking) and merges its metadata into the user's data. */
    public void link(String userId, User.Identity identity, Document data) {
        List<org.bson.conversions.Bson> updates = new ArrayList<>();
        updates.add(Updates.push("identities", toDocument(identity)));
        data.forEach((key, value) -> updates.add(Updates.set("data." + key, value)));
        users.updateOne(Filters.eq("_id", new ObjectId(userId)), Updates.combine(updates));
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
    }

    public void setDisabled(String userId, boolean disabled) {
        users.updateOne(Filters.eq("_id", new ObjectId(userId)), Updates.set("disabled", disabled));
    }

    public boolean delete(String userId) {
        return ObjectId.isValid(userId) && users.deleteOne(Filters.eq("_id", new ObjectId(userId))).getDeletedCount() == 1;
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
