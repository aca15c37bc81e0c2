package dev.thimble.runtime.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * The configuration space the generated rule tests cover, described once: role shapes (apply_when,
 * document-level read/write, one listed field, additional_fields, document_filters, insert/delete)
 * × operations × callers. Every value is both rule JSON (for the engine) and a plain enum (for the
 * reference reading in {@link RulesOracle}).
 */
final class RuleSpace {
    private RuleSpace() {
    }

    /** The one document every case works on: owned by u1, team red. */
    static final String OWNER_ID = "u1";
    static final String TEAM = "red";
    static final List<String> FIELDS = List.of("_id", "owner_id", "team", "title", "secret");

    enum ApplyWhen {
        ALWAYS("{}"),
        OWNER("{'owner_id': '%%user.id'}"),
        TEAM("{'team': '%%user.custom_data.team'}"),
        SERVER("{'%%user.type': 'server'}"),
        NOT_ANONYMOUS("{'%%user.identities.providerType': {'$nin': ['anon-user']}}");

        final String json;

        ApplyWhen(String json) {
            this.json = json;
        }
    }

    /** A document-level read or write: unset, a literal, or "the caller owns the document". */
    enum Permission {
        UNSET(null), TRUE("true"), FALSE("false"), IF_OWNER("{'owner_id': '%%user.id'}");

        final String json;

        Permission(String json) {
            this.json = json;
        }
    }

    /** The entry of the field {@code secret} under {@code fields}. */
    enum SecretEntry {
        ABSENT(null), READ("{'read': true}"), READ_WRITE("{'read': true, 'write': true}"), WRITE("{'write': true}"),
        DENY("{'read': false, 'write': false}"), READ_IF_OWNER("{'read': {'owner_id': '%%user.id'}}");

        final String json;

        SecretEntry(String json) {
            this.json = json;
        }
    }

    /** {@code additional_fields}: covers _id, owner_id, team and title (nothing lists them). */
    enum Additional {
        UNSET(null), EMPTY("{}"), READ("{'read': true}"), READ_WRITE("{'read': true, 'write': true}"),
        DENY("{'read': false, 'write': false}");

        final String json;

        Additional(String json) {
            this.json = json;
        }
    }

    enum DocumentFilters {
        UNSET(null),
        READ_TEAM("{'read': {'team': '%%user.custom_data.team'}}"),
        READ_TEAM_WRITE_OWNER("{'read': {'team': '%%user.custom_data.team'}, 'write': {'owner_id': '%%user.id'}}"),
        READ_ALL_WRITE_NONE("{'read': true, 'write': false}");

        final String json;

        DocumentFilters(String json) {
            this.json = json;
        }
    }

    /** {@code insert} and {@code delete} set alike. */
    enum InsertDelete {
        DEFAULT(null), FALSE("false"), IF_OWNER("{'owner_id': '%%user.id'}");

        final String json;

        InsertDelete(String json) {
            this.json = json;
        }
    }

    enum Operation { READ, INSERT, UPDATE_TITLE, UPDATE_SECRET, REPLACE, DELETE }

    enum Caller {
        OWNER("u1", "normal", "red", "local-userpass"),
        OTHER("u2", "normal", "blue", "local-userpass"),
        ANONYMOUS("u3", "normal", null, "anon-user"),
        SERVER("srv", "server", null, "api-key"),
        TEAMMATE_WITH_CUSTOM_DATA("u4", "normal", "red", "oauth2-google");

        final String id;
        final String type;
        final String team;
        final String providerType;

        Caller(String id, String type, String team, String providerType) {
            this.id = id;
            this.type = type;
            this.team = team;
            this.providerType = providerType;
        }
    }

    record Shape(ApplyWhen applyWhen, Permission read, Permission write, SecretEntry secret, Additional additional,
                 DocumentFilters documentFilters, InsertDelete insertDelete) {

        String ruleJson() {
            StringBuilder role = new StringBuilder("{'name': 'r', 'apply_when': ").append(applyWhen.json);
            put(role, "read", read.json);
            put(role, "write", write.json);
            put(role, "insert", insertDelete.json);
            put(role, "delete", insertDelete.json);
            put(role, "document_filters", documentFilters.json);
            if (secret.json != null) {
                role.append(", 'fields': {'secret': ").append(secret.json).append('}');
            }
            put(role, "additional_fields", additional.json);
            role.append('}');
            return "{'database': 'app', 'collection': 'docs', 'roles': [" + role + "]}";
        }

        private static void put(StringBuilder role, String key, String json) {
            if (json != null) {
                role.append(", '").append(key).append("': ").append(json);
            }
        }
    }

    static List<Shape> shapes() {
        List<Shape> shapes = new ArrayList<>();
        for (ApplyWhen applyWhen : ApplyWhen.values()) {
            for (Permission read : Permission.values()) {
                for (Permission write : Permission.values()) {
                    for (SecretEntry secret : SecretEntry.values()) {
                        for (Additional additional : Additional.values()) {
                            for (DocumentFilters filters : DocumentFilters.values()) {
                                for (InsertDelete insertDelete : InsertDelete.values()) {
                                    shapes.add(new Shape(applyWhen, read, write, secret, additional, filters, insertDelete));
                                }
                            }
                        }
                    }
                }
            }
        }
        return shapes;
    }

    /** What a case came to: the reason, and the fields visible (reads) or rejected (writes), in document order. */
    record Verdict(Decision.Outcome outcome, Decision.Reason reason, List<String> fields) { }
}
