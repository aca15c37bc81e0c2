package dev.thimble.runtime.auth;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API keys: server keys (created by the app's owner, log in as a "server" user) and user keys
 * (created by a user, log in as that user). Only a SHA-256 of each key is stored: keys are 64
 * random hex characters, so a plain hash is enough, and the key itself is shown once, at creation.
 */
public final class ApiKeyStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final MongoCollection<Document> keys;

    public ApiKeyStore(MongoDatabase stateDatabase) {
        this.keys = stateDatabase.getCollection("api_keys");
    }

    /** A stored key's public part. {@code ownerUserId} is null for server keys. */
    public record ApiKey(String id, String name, boolean disabled, String ownerUserId, Instant created) {
        public boolean isServerKey() {
            return ownerUserId == null;
        }
    }

    /** A key just created: the only time its secret is known. */
    public record CreatedKey(ApiKey key, String secret) {
    }

    public CreatedKey create(String name, String ownerUserId, Instant now) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("An API key needs a name.");
        }
        if (keys.find(Filters.and(Filters.eq("name", name), Filters.eq("owner_user_id", ownerUserId))).first() != null) {
            throw new IllegalStateException("An API key named \"" + name + "\" already exists.");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = HexFormat.of().formatHex(bytes);
        ObjectId id = new ObjectId();
        keys.insertOne(new Document("_id", id)
                .append("name", name)
                .append("key_hash", hash(secret))
                .append("owner_user_id", ownerUserId)
                .append("disabled", false)
                .append("created", Date.from(now)));
        return new CreatedKey(new ApiKey(id.toHexString(), name, false, ownerUserId, now), secret);
    }

    public Optional<ApiKey> findBySecret(String secret) {
        return Optional.ofNullable(keys.find(Filters.eq("key_hash", hash(secret))).first()).map(ApiKeyStore::toKey);
    }

    public List<ApiKey> listOf(String ownerUserId) {
        List<ApiKey> result = new ArrayList<>();
        keys.find(Filters.eq("owner_user_id", ownerUserId)).sort(new Document("_id", 1)).forEach(d -> result.add(toKey(d)));
        return result;
    }

    public Optional<ApiKey> find(String id, String ownerUserId) {
        if (!ObjectId.isValid(id)) {
            return Optional.empty();
        }
        return Optional.ofNullable(keys.find(Filters.and(Filters.eq("_id", new ObjectId(id)),
                Filters.eq("owner_user_id", ownerUserId))).first()).map(ApiKeyStore::toKey);
    }

    public boolean setDisabled(String id, String ownerUserId, boolean disabled) {
        return ObjectId.isValid(id) && keys.updateOne(Filters.and(Filters.eq("_id", new ObjectId(id)),
                Filters.eq("owner_user_id", ownerUserId)), Updates.set("disabled", disabled)).getMatchedCount() == 1;
    }

    public boolean delete(String id, String ownerUserId) {
        return ObjectId.isValid(id) && keys.deleteOne(Filters.and(Filters.eq("_id", new ObjectId(id)),
                Filters.eq("owner_user_id", ownerUserId))).getDeletedCount() == 1;
    }

    /** Deletes a server key given its name or id; false when there is none. */
    public boolean deleteServerKey(String idOrName) {
        return listOf(null).stream()
                .filter(k -> k.id().equals(idOrName) || k.name().equals(idOrName))
                .findFirst()
                .map(k -> delete(k.id(), null))
                .orElse(false);
    }

    public void deleteAllOf(String ownerUserId) {
        keys.deleteMany(Filters.eq("owner_user_id", ownerUserId));
    }

    private static ApiKey toKey(Document d) {
        return new ApiKey(d.getObjectId("_id").toHexString(), d.getString("name"), d.getBoolean("disabled", false),
                d.getString("owner_user_id"), d.getDate("created").toInstant());
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
