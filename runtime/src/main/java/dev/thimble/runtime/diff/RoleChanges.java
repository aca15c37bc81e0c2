package dev.thimble.runtime.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.thimble.runtime.diff.Values.code;

/**
 * What changes for the users a role applies to: when it applies, and what they may read, write,
 * insert, delete and search, per field (nested fields included) as the rule evaluator reads it:
 * a document-level {@code read}/{@code write} covers every field, {@code write} implies read, a
 * field not listed in {@code fields} falls back to {@code additional_fields}, and a listed field's
 * permission covers its sub-fields.
 */
final class RoleChanges {
    /** Role fields with sentences of their own; the rest are compared as plain settings. */
    private static final Set<String> MODELLED = Set.of("name", "apply_when", "read", "write", "insert", "delete", "search",
            "fields", "additional_fields");

    private RoleChanges() {
    }

    static void compare(ChangeLog.Entity entity, String where, String role, ObjectNode a, ObjectNode b) {
        String who = where + "role " + code(role);
        String field = "roles." + role;
        JsonNode applyBefore = Values.field(a, "apply_when");
        JsonNode applyAfter = Values.field(b, "apply_when");
        if (!Grant.NEVER.or(applyBefore).equals(Grant.NEVER.or(applyAfter))) {
            entity.changed(field + ".apply_when", who + " now applies " + Grant.NEVER.or(applyAfter).describe()
                    + " (was " + Grant.NEVER.or(applyBefore).describe() + ")", applyBefore, applyAfter);
        }
        Grant docReadBefore = documentRead(a);
        Grant docReadAfter = documentRead(b);
        Grant docWriteBefore = documentWrite(a);
        Grant docWriteAfter = documentWrite(b);
        permission(entity, field + ".read", who, "read on every field", docReadBefore, docReadAfter);
        permission(entity, field + ".write", who, "write on every field", docWriteBefore, docWriteAfter);
        permission(entity, field + ".additional_fields.read", who, "read on fields not listed in `fields`",
                docReadBefore.or(additional(a, true)), docReadAfter.or(additional(b, true)), docReadBefore, docReadAfter);
        permission(entity, field + ".additional_fields.write", who, "write on fields not listed in `fields`",
                docWriteBefore.or(additional(a, false)), docWriteAfter.or(additional(b, false)), docWriteBefore, docWriteAfter);
        for (List<String> path : listedFields(a, b)) {
            String dotted = String.join(".", path);
            String fieldPath = field + ".fields." + String.join(".fields.", path);
            permission(entity, fieldPath + ".read", who, "read on " + code(dotted),
                    docReadBefore.or(fieldGrant(a, path, true)), docReadAfter.or(fieldGrant(b, path, true)), docReadBefore, docReadAfter);
            permission(entity, fieldPath + ".write", who, "write on " + code(dotted),
                    docWriteBefore.or(fieldGrant(a, path, false)), docWriteAfter.or(fieldGrant(b, path, false)), docWriteBefore, docWriteAfter);
        }
        permission(entity, field + ".insert", who, "insert permission", defaultTrue(a, "insert"), defaultTrue(b, "insert"));
        permission(entity, field + ".delete", who, "delete permission", defaultTrue(a, "delete"), defaultTrue(b, "delete"));
        permission(entity, field + ".search", who, "search permission", Grant.NEVER.or(Values.field(a, "search")),
                Grant.NEVER.or(Values.field(b, "search")));
        JsonDiff.record(entity, who, field, Values.without(a, MODELLED.toArray(String[]::new)),
                Values.without(b, MODELLED.toArray(String[]::new)));
    }

    private static void permission(ChangeLog.Entity entity, String field, String who, String what, Grant before, Grant after) {
        if (!before.equals(after)) {
            entity.changed(field, Grant.change(who, what, before, after), before.toJson(), after.toJson());
        }
    }

    /**
     * A field's permission, reported only when it changed beyond what the document-level permission
     * (already reported) explains: a field that adds nothing to the document-level grant in either
     * version says nothing new.
     */
    private static void permission(ChangeLog.Entity entity, String field, String who, String what, Grant before, Grant after,
                                   Grant documentBefore, Grant documentAfter) {
        if (before.equals(documentBefore) && after.equals(documentAfter)) {
            return;
        }
        permission(entity, field, who, what, before, after);
    }

    private static Grant documentRead(JsonNode role) {
        return Grant.NEVER.or(Values.field(role, "read")).or(Values.field(role, "write"));
    }

    private static Grant documentWrite(JsonNode role) {
        return Grant.NEVER.or(Values.field(role, "write"));
    }

    private static Grant additional(JsonNode role, boolean read) {
        JsonNode additional = Values.field(role, "additional_fields");
        Grant grant = Grant.NEVER.or(Values.field(additional, "write"));
        return read ? grant.or(Values.field(additional, "read")) : grant;
    }

    private static Grant defaultTrue(JsonNode role, String field) {
        JsonNode value = Values.field(role, field);
        return value == null ? Grant.ALWAYS : Grant.NEVER.or(value);
    }

    /**
     * The field-level grant for a field path: the read/write of the field and of every listed field
     * above it; for a top-level field that is not listed, {@code additional_fields}.
     */
    private static Grant fieldGrant(JsonNode role, List<String> path, boolean read) {
        Grant grant = Grant.NEVER;
        JsonNode node = role;
        for (int i = 0; i < path.size(); i++) {
            JsonNode entry = Values.field(Values.field(node, "fields"), path.get(i));
            if (entry == null) {
                return i == 0 ? additional(role, read) : grant;
            }
            grant = grant.or(Values.field(entry, "write"));
            if (read) {
                grant = grant.or(Values.field(entry, "read"));
            }
            node = entry;
        }
        return grant;
    }

    /** Every field path listed in either version's {@code fields} (nested ones too), sorted. */
    private static List<List<String>> listedFields(JsonNode a, JsonNode b) {
        Set<String> paths = new TreeSet<>();
        collect(Values.field(a, "fields"), "", paths);
        collect(Values.field(b, "fields"), "", paths);
        List<List<String>> result = new ArrayList<>();
        paths.forEach(p -> result.add(List.of(p.split("\u0000"))));
        return result;
    }

    private static void collect(JsonNode fields, String prefix, Set<String> paths) {
        if (fields == null || !fields.isObject()) {
            return;
        }
        fields.properties().forEach(entry -> {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "\u0000" + entry.getKey();
            paths.add(path);
            collect(Values.field(entry.getValue(), "fields"), path, paths);
        });
    }
}
