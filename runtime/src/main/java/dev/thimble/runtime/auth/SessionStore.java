package dev.thimble.runtime.auth;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * Sessions: one per login, named by the refresh token's id. Revoking a session (logout, a disabled
 * or deleted user) makes its refresh token useless; its access tokens die at their expiry.
 */
public final class SessionStore {
    private final MongoCollection<Document> sessions;

    public SessionStore(MongoDatabase stateDatabase) {
        this.sessions = stateDatabase.getCollection("sessions");
    }

    public String open(String userId, String deviceId, Instant now, Instant expires) {
        String id = new ObjectId().toHexString();
        sessions.insertOne(new Document("_id", id)
                .append("user_id", userId)
                .append("device_id", deviceId)
                .append("created", Date.from(now))
                .append("expires", Date.from(expires))
                .append("revoked", false));
        return id;
    }

    /** The live session with this id, or empty when it was revoked, expired or never existed. */
    public Optional<Document> live(String sessionId, Instant now) {
        Document session = sessions.find(Filters.eq("_id", sessionId)).first();
        if (session == null || session.getBoolean("revoked", false) || !now.isBefore(session.getDate("expires").toInstant())) {
            return Optional.empty();
        }
        return Optional.of(session);
    }

    public void revoke(String sessionId) {
        sessions.updateOne(Filters.eq("_id", sessionId), Updates.set("revoked", true));
    }

    public void revokeAllOf(String userId) {
        sessions.updateMany(Filters.eq("user_id", userId), Updates.set("revoked", true));
    }
}
