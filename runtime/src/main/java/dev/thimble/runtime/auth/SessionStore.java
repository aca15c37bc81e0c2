package dev.thimble.runtime.auth;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions: one per login, named by the refresh token's id, kept in the app's state database.
 * Revoking a session (logout, a password reset, a disabled or deleted user) is written there, so
 * it survives a restart and every node on the database sees it.
 *
 * <p>Access tokens are verified on every request; to keep that cheap, whether a session is still
 * live is cached in memory for {@link #LIVENESS_TTL}. The bound: a revocation made through this
 * store is seen by this node at once; one made by another node is seen here within
 * {@link #LIVENESS_TTL} (one read of the session per session and period); after a restart the cache
 * is empty, so the first request reads the database.
 */
public final class SessionStore {
    /** How long this node trusts what it read about a session. */
    static final Duration LIVENESS_TTL = Duration.ofSeconds(2);
    /** Above this many cached sessions, stale entries are dropped before adding another. */
    private static final int CACHE_SWEEP_SIZE = 10_000;

    private record Liveness(String userId, boolean live, long checkedAtNanos) {
    }

    private final MongoCollection<Document> sessions;
    private final Map<String, Liveness> cache = new ConcurrentHashMap<>();

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

    /** The devices a user has logged in from (each session's {@code device_id}), with the last login from each, newest first. */
    public java.util.Map<String, Instant> devicesOf(String userId) {
        java.util.Map<String, Instant> out = new java.util.LinkedHashMap<>();
        sessions.find(Filters.eq("user_id", userId)).sort(new Document("created", -1)).forEach(d -> {
            String device = d.getString("device_id");
            if (device != null && !device.isEmpty()) {
                out.putIfAbsent(device, d.getDate("created").toInstant());
            }
        });
        return out;
    }

    /** The live session with this id, or empty when it was revoked, expired or never existed. Reads the database. */
    public Optional<Document> live(String sessionId, Instant now) {
        Document session = sessionId == null ? null : sessions.find(Filters.eq("_id", sessionId)).first();
        boolean live = session != null && !session.getBoolean("revoked", false)
                && now.isBefore(session.getDate("expires").toInstant());
        remember(sessionId, session == null ? null : session.getString("user_id"), live);
        return live ? Optional.of(session) : Optional.empty();
    }

    /**
     * Whether an access token of this session may still be used: from the cache when it was read
     * within {@link #LIVENESS_TTL}, else from the database.
     */
    public boolean isLive(String sessionId, Instant now) {
        if (sessionId == null) {
            return false;
        }
        Liveness known = cache.get(sessionId);
        if (known != null && System.nanoTime() - known.checkedAtNanos() < LIVENESS_TTL.toNanos()) {
            return known.live();
        }
        return live(sessionId, now).isPresent();
    }

    public void revoke(String sessionId) {
        sessions.updateOne(Filters.eq("_id", sessionId), Updates.combine(Updates.set("revoked", true),
                Updates.set("revoked_at", new Date())));
        Liveness known = cache.get(sessionId);
        remember(sessionId, known == null ? null : known.userId(), false);
    }

    public void revokeAllOf(String userId) {
        sessions.updateMany(Filters.and(Filters.eq("user_id", userId), Filters.eq("revoked", false)),
                Updates.combine(Updates.set("revoked", true), Updates.set("revoked_at", new Date())));
        cache.replaceAll((id, known) -> userId.equals(known.userId()) ? new Liveness(userId, false, System.nanoTime()) : known);
    }

    private void remember(String sessionId, String userId, boolean live) {
        if (sessionId == null) {
            return;
        }
        if (cache.size() >= CACHE_SWEEP_SIZE) {
            long now = System.nanoTime();
            cache.values().removeIf(known -> now - known.checkedAtNanos() >= LIVENESS_TTL.toNanos());
        }
        cache.put(sessionId, new Liveness(userId, live, System.nanoTime()));
    }
}
