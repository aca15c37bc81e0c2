package dev.thimble.runtime.auth;

import org.bson.Document;

import java.time.Instant;
import java.util.List;

/**
 * A user of an app: one or more identities (linked accounts) with merged provider metadata.
 *
 * @param type "normal", or "server" for users of server API keys
 */
public record User(String id, String type, Document data, List<Identity> identities, boolean disabled,
                   Instant created, Instant lastAuthenticated) {
    public User {
        identities = List.copyOf(identities);
        data = new Document(data);
    }

    public boolean isServer() {
        return "server".equals(type);
    }

    /** One login identity: the id the provider knows the user by, and which provider. */
    public record Identity(String id, String providerType, String providerId, Document providerData) {
        public Identity {
            providerData = providerData == null ? new Document() : new Document(providerData);
        }
    }
}
