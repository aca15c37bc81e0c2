package dev.thimble.runtime.rules;

import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The calling user as rules see it ({@code %%user}, STITCH-SPEC §6): id, type ({@code normal} or
 * {@code server} for API-key users), provider metadata, custom user data and identities.
 */
public record RuleUser(String id, String type, Document data, Document customData, List<Identity> identities) {
    public static final String NORMAL = "normal";
    public static final String SERVER = "server";

    /** One linked identity; {@code providerType} is camelCase in expressions ({@code provider_type} over REST). */
    public record Identity(String id, String providerType) {
        public Identity {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(providerType, "providerType");
        }
    }

    public RuleUser {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        data = data == null ? new Document() : copy(data);
        customData = customData == null ? new Document() : copy(customData);
        identities = identities == null ? List.of() : List.copyOf(identities);
    }

    /** A normal user with no metadata and no identities. */
    public static RuleUser normal(String id) {
        return new RuleUser(id, NORMAL, null, null, null);
    }

    public RuleUser withData(Document data) {
        return new RuleUser(id, type, data, customData, identities);
    }

    public RuleUser withCustomData(Document customData) {
        return new RuleUser(id, type, data, customData, identities);
    }

    public RuleUser withIdentities(List<Identity> identities) {
        return new RuleUser(id, type, data, customData, identities);
    }

    @Override
    public Document data() {
        return copy(data);
    }

    @Override
    public Document customData() {
        return copy(customData);
    }

    /** The {@code %%user} document: {@code {id, type, data, custom_data, identities: [{id, providerType}]}}. */
    public Document toDocument() {
        List<Document> ids = new ArrayList<>(identities.size());
        for (Identity identity : identities) {
            ids.add(new Document("id", identity.id()).append("providerType", identity.providerType()));
        }
        return new Document("id", id).append("type", type).append("data", copy(data))
                .append("custom_data", copy(customData)).append("identities", ids);
    }

    private static Document copy(Document document) {
        return (Document) Values.toExternal(document);
    }
}
