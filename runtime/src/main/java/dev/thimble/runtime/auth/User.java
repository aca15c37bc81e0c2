package dev.thimble.runtime.auth;

import dev.thimble.runtime.principal.Principal;
import org.bson.Document;

import java.time.Instant;
import java.util.List;

/**
 * A user of an app as the user store keeps it: one or more identities (linked accounts) with merged
 * provider metadata, whether it is disabled, when it was made and last logged in. This is the stored
 * account (what the admin's user list shows); a request's caller is the {@link Principal} made from it
 * by {@link #principal}.
 *
 * @param type "normal", or "server" for users of server API keys
 */
public record User(String id, String type, Document data, List<Identity> identities, boolean disabled,
                   Instant created, Instant lastAuthenticated) {
    public User {
        identities = List.copyOf(identities);
        data = new Document(data);
    }

    /** This user as a request's caller, with the custom user data read for it (null: none). */
    public Principal principal(Document customData) {
        List<Principal.Identity> ids = identities.stream()
                .map(identity -> new Principal.Identity(identity.id(), identity.providerType())).toList();
        return new Principal(id, type, data.toBsonDocument(), ids,
                customData == null ? null : customData.toBsonDocument());
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
