package dev.thimble.runtime.principal;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.Document;

import java.util.List;
import java.util.Objects;

/**
 * Who is calling: the one type auth hands out for a verified caller, functions show as
 * {@code context.user} and rules read as {@code %%user}. Made once per request (by
 * {@code auth.User#principal}) and passed as it is: no room converts it into its own user type.
 *
 * <p>Values are BSON (what the state database stores and what functions receive), held as copies:
 * nobody can change a principal after it is made.
 *
 * @param type {@code normal}, {@code server} (a server API key's user) or {@code system} (triggers,
 *             "run as system": no calling user)
 * @param data the provider's metadata of the user (e.g. {@code email}, {@code name})
 * @param identities the linked login identities
 * @param customData the custom user data document read at login or at the call
 */
public record Principal(String id, String type, BsonDocument data, List<Identity> identities, BsonDocument customData) {
    public static final String NORMAL = "normal";
    public static final String SERVER = "server";

    /** The caller of executions that have no calling user (triggers, admin "run as system"). */
    public static final Principal SYSTEM = new Principal("", "system", null, null, null);

    /** One linked identity: the id the provider knows the user by, and the provider's type ({@code local-userpass}). */
    public record Identity(String id, String providerType) {
        public Identity {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(providerType, "providerType");
        }
    }

    public Principal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        data = data == null ? new BsonDocument() : data.clone();
        identities = identities == null ? List.of() : List.copyOf(identities);
        customData = customData == null ? new BsonDocument() : customData.clone();
    }

    /** A normal user known only by id (a {@code run_as_user_id} nobody could resolve, a test's caller). */
    public static Principal normal(String id) {
        return new Principal(id, NORMAL, null, null, null);
    }

    public Principal withData(BsonDocument data) {
        return new Principal(id, type, data, identities, customData);
    }

    public Principal withData(Document data) {
        return withData(data == null ? null : data.toBsonDocument());
    }

    public Principal withCustomData(BsonDocument customData) {
        return new Principal(id, type, data, identities, customData);
    }

    public Principal withCustomData(Document customData) {
        return withCustomData(customData == null ? null : customData.toBsonDocument());
    }

    public Principal withIdentities(List<Identity> identities) {
        return new Principal(id, type, data, identities, customData);
    }

    @Override
    public BsonDocument data() {
        return data.clone();
    }

    @Override
    public BsonDocument customData() {
        return customData.clone();
    }

    public boolean isServer() {
        return SERVER.equals(type);
    }

    /**
     * {@code context.user} as functions see it:
     * {@code {id, type, data, identities: [{id, provider_type}], custom_data}}.
     */
    public BsonDocument toContextUser() {
        BsonArray ids = new BsonArray();
        for (Identity identity : identities) {
            ids.add(new BsonDocument("id", new BsonString(identity.id()))
                    .append("provider_type", new BsonString(identity.providerType())));
        }
        return new BsonDocument("id", new BsonString(id))
                .append("type", new BsonString(type))
                .append("data", data.clone())
                .append("identities", ids)
                .append("custom_data", customData.clone());
    }
}
