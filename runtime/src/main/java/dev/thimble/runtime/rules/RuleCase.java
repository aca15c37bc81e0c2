package dev.thimble.runtime.rules;

import dev.thimble.runtime.principal.Principal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thimble.runtime.rules.Decision.Action;
import dev.thimble.runtime.rules.Decision.Outcome;
import dev.thimble.runtime.rules.Decision.Reason;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One rules test case: who asks, on which namespace, to do what with which document, and
 * (optionally) what the rules should decide. Read from JSON by {@link #parse(String)} (one case) or
 * {@link #parseTests(String)} (a test file); documents are Extended JSON. The format is described in
 * {@code docs/decisions/0006-rules-test-format.md} and {@code thimble rules --help}.
 *
 * @param user      the caller; null for the system caller (rules bypassed)
 * @param document  the stored document (read, delete) or the new one (insert)
 * @param before    the stored document of an update or replace
 * @param after     the document as the update or replace would leave it
 * @param query     the caller's query (read, query), or null
 * @param values    values that replace the app's {@code %%values} of the same name
 * @param functions results to give for {@code %function} calls by function name, instead of running them
 * @param expect    what the rules should decide, or null (nothing is checked)
 */
public record RuleCase(String name, Principal user, String service, String database, String collection, Action action,
                       Document document, Document before, Document after, Document query, Document projection,
                       Map<String, Object> values, Map<String, Object> functions, Expectation expect) {

    public static final String DEFAULT_SERVICE = "mongodb-atlas";
    /** The user {@code "anonymous"} stands for: a normal user with one anon-user identity and no data. */
    public static final Principal ANONYMOUS = Principal.normal("anonymous")
            .withIdentities(List.of(new Principal.Identity("anonymous", "anon-user")));

    private static final List<String> ACTIONS = List.of("read", "insert", "update", "replace", "delete", "query");
    private static final List<String> FIELDS = List.of("name", "user", "service", "namespace", "action", "document",
            "before", "after", "query", "projection", "values", "functions", "expect");
    private static final List<String> USER_FIELDS = List.of("id", "type", "data", "custom_data", "identities");
    private static final List<String> EXPECT_FIELDS = List.of("outcome", "role", "reason", "visible", "fieldsRemoved",
            "fieldsRejected", "filters");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public RuleCase {
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
        functions = functions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(functions));
    }

    /** {@code db.coll}. */
    public String namespace() {
        return database + "." + collection;
    }

    public boolean isSystem() {
        return user == null;
    }

    /**
     * What a case expects; a null (or false {@code checks…}) part is not checked.
     *
     * @param checksRole    true when the case says which role applies ({@code role} null: none)
     * @param checksVisible true when the case says what the user receives ({@code visible} null: nothing)
     * @param filters       the names of the filters that apply, in any order
     */
    public record Expectation(Outcome outcome, Reason reason, boolean checksRole, String role, boolean checksVisible,
                              Document visible, List<String> fieldsRemoved, List<String> fieldsRejected,
                              List<String> filters) {
        public Expectation {
            fieldsRemoved = fieldsRemoved == null ? null : List.copyOf(fieldsRemoved);
            fieldsRejected = fieldsRejected == null ? null : List.copyOf(fieldsRejected);
            filters = filters == null ? null : List.copyOf(filters);
        }

        boolean checksNothing() {
            return outcome == null && reason == null && !checksRole && !checksVisible && fieldsRemoved == null
                    && fieldsRejected == null && filters == null;
        }
    }

    // ---- parsing -------------------------------------------------------------------------------

    /** One case, as {@code thimble rules eval --case} reads it. @throws RuleCaseException naming the field */
    public static RuleCase parse(String json) {
        JsonNode root = tree(json);
        if (!root.isObject()) {
            throw new RuleCaseException("", "a case is a JSON object {\"user\": …, \"namespace\": \"db.coll\", \"action\": …}");
        }
        return parse(root, "", Map.of(), 1);
    }

    /**
     * A test file: {@code {"users": {name: user, …}, "cases": [case, …]}} or just {@code [case, …]}.
     * Cases may name a user of {@code users} as {@code "user": "name"}.
     *
     * @throws RuleCaseException for the first problem, naming the case and the field
     */
    public static List<RuleCase> parseTests(String json) {
        JsonNode root = tree(json);
        JsonNode cases;
        Map<String, Principal> users = new LinkedHashMap<>();
        if (root.isArray()) {
            cases = root;
        } else if (root.isObject()) {
            unknownFields(root, List.of("users", "cases"), "");
            cases = root.get("cases");
            if (cases == null || !cases.isArray()) {
                throw new RuleCaseException("cases", "give the cases as an array: {\"cases\": [{…}, …]}");
            }
            JsonNode named = root.get("users");
            if (named != null) {
                if (!named.isObject()) {
                    throw new RuleCaseException("users", "an object of users by name: {\"drGrey\": {\"id\": \"…\", \"custom_data\": {…}}}");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = named.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    if (!entry.getValue().isObject()) {
                        throw new RuleCaseException("users." + entry.getKey(), "a user is an object {\"id\": …, \"custom_data\": {…}}");
                    }
                    users.put(entry.getKey(), user(entry.getValue(), "users." + entry.getKey()));
                }
            }
        } else {
            throw new RuleCaseException("", "a test file is {\"cases\": [{…}, …]} or an array of cases");
        }
        if (cases.isEmpty()) {
            throw new RuleCaseException("cases", "there are no cases; add at least one");
        }
        List<RuleCase> out = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode node = cases.get(i);
            String where = "cases[" + i + "]";
            if (!node.isObject()) {
                throw new RuleCaseException(where, "a case is a JSON object");
            }
            if (node.get("name") != null && node.get("name").isTextual()) {
                where += " \"" + node.get("name").asText() + "\"";
            }
            try {
                out.add(parse(node, where, users, i + 1));
            } catch (RuleCaseException e) {
                throw e.inCase(where);
            }
        }
        return out;
    }

    private static JsonNode tree(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new RuleCaseException("", "the file is empty; it should hold JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new RuleCaseException(where, "not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static RuleCase parse(JsonNode node, String where, Map<String, Principal> users, int number) {
        unknownFields(node, FIELDS, "");
        String name = node.has("name") ? text(node.get("name"), "name") : "case " + number;
        Principal user = caller(node.get("user"), users);
        String service = node.has("service") ? text(node.get("service"), "service") : DEFAULT_SERVICE;
        required(node, "namespace", "the collection, as \"database.collection\"");
        String ns = text(node.get("namespace"), "namespace");
        int dot = ns.indexOf('.');
        if (dot <= 0 || dot == ns.length() - 1) {
            throw new RuleCaseException("namespace", "\"" + ns + "\" is not \"database.collection\", e.g. \"clinic.patients\"");
        }
        String actionName = text(node.get("action") == null ? missing("action", "one of " + String.join(", ", ACTIONS))
                : node.get("action"), "action");
        if (!ACTIONS.contains(actionName)) {
            throw new RuleCaseException("action", "unknown action \"" + actionName + "\"; use one of " + String.join(", ", ACTIONS));
        }
        Action action = Action.valueOf(actionName.toUpperCase(Locale.ROOT));
        Document document = document(node, "document", action, Set.of(Action.READ, Action.INSERT, Action.DELETE));
        Document before = document(node, "before", action, Set.of(Action.UPDATE, Action.REPLACE));
        Document after = document(node, "after", action, Set.of(Action.UPDATE, Action.REPLACE));
        Document query = optionalDocument(node, "query", action, Set.of(Action.READ, Action.QUERY));
        Document projection = optionalDocument(node, "projection", action, Set.of(Action.READ, Action.QUERY));
        Map<String, Object> values = node.has("values") ? object(node.get("values"), "values") : Map.of();
        Map<String, Object> functions = node.has("functions") ? object(node.get("functions"), "functions") : Map.of();
        Expectation expect = node.has("expect") ? expectation(node.get("expect"), action) : null;
        return new RuleCase(name, user, service, ns.substring(0, dot), ns.substring(dot + 1), action, document, before, after,
                query, projection, values, functions, expect);
    }

    private static Principal caller(JsonNode node, Map<String, Principal> users) {
        if (node == null || node.isNull()) {
            throw new RuleCaseException("user", "say who asks: {\"id\": \"…\", \"custom_data\": {…}}, \"system\" or \"anonymous\"");
        }
        if (node.isTextual()) {
            String name = node.asText();
            if (name.equals("system")) {
                return null;
            }
            if (name.equals("anonymous")) {
                return ANONYMOUS;
            }
            Principal named = users.get(name);
            if (named == null) {
                throw new RuleCaseException("user", "\"" + name + "\" is not \"system\", \"anonymous\""
                        + (users.isEmpty() ? "" : " or one of the users " + String.join(", ", users.keySet()))
                        + "; give the user as {\"id\": \"…\", \"custom_data\": {…}}"
                        + (users.isEmpty() ? " or name it in the file's \"users\"" : ""));
            }
            return named;
        }
        if (!node.isObject()) {
            throw new RuleCaseException("user", "a user is {\"id\": \"…\", …}, \"system\" or \"anonymous\"");
        }
        return user(node, "user");
    }

    private static Principal user(JsonNode node, String where) {
        try {
            unknownFields(node, USER_FIELDS, "");
            if (node.get("id") == null) {
                throw new RuleCaseException("id", "a user needs an id (what %%user.id is)");
            }
            String id = text(node.get("id"), "id");
            String type = node.has("type") ? text(node.get("type"), "type") : Principal.NORMAL;
            if (!type.equals(Principal.NORMAL) && !type.equals(Principal.SERVER)) {
                throw new RuleCaseException("type", "\"" + type + "\" is not a user type; use \"normal\" or \"server\" (an API-key user)");
            }
            Document data = node.has("data") ? new Document(object(node.get("data"), "data")) : null;
            Document customData = node.has("custom_data") ? new Document(object(node.get("custom_data"), "custom_data")) : null;
            List<Principal.Identity> identities = new ArrayList<>();
            JsonNode ids = node.get("identities");
            if (ids != null) {
                if (!ids.isArray()) {
                    throw new RuleCaseException("identities", "an array of {\"id\": …, \"providerType\": …}");
                }
                for (int i = 0; i < ids.size(); i++) {
                    JsonNode identity = ids.get(i);
                    JsonNode provider = identity.has("providerType") ? identity.get("providerType") : identity.get("provider_type");
                    if (!identity.isObject() || identity.get("id") == null || provider == null) {
                        throw new RuleCaseException("identities[" + i + "]", "an identity is {\"id\": …, \"providerType\": \"local-userpass\"}");
                    }
                    identities.add(new Principal.Identity(identity.get("id").asText(), provider.asText()));
                }
            }
            return new Principal(id, type, data == null ? null : data.toBsonDocument(), identities,
                    customData == null ? null : customData.toBsonDocument());
        } catch (RuleCaseException e) {
            throw e.within(where);
        }
    }

    private static Expectation expectation(JsonNode node, Action action) {
        try {
            if (!node.isObject()) {
                throw new RuleCaseException("", "expect is an object, e.g. {\"outcome\": \"ALLOWED\", \"role\": \"doctor\"}");
            }
            unknownFields(node, EXPECT_FIELDS, "");
            Outcome outcome = node.has("outcome") ? enumValue(node.get("outcome"), "outcome", Outcome.class) : null;
            Reason reason = node.has("reason") ? enumValue(node.get("reason"), "reason", Reason.class) : null;
            boolean checksRole = node.has("role");
            String role = checksRole && !node.get("role").isNull() ? text(node.get("role"), "role") : null;
            boolean checksVisible = node.has("visible");
            Document visible = null;
            if (checksVisible) {
                only("visible", action, Set.of(Action.READ), "it is the document a read returns");
                if (!node.get("visible").isNull()) {
                    Object value = bson(node.get("visible"), "visible");
                    if (!(value instanceof Document d)) {
                        throw new RuleCaseException("visible", "the document the user receives (an object), or null when they see nothing");
                    }
                    visible = d;
                }
            }
            List<String> removed = null;
            if (node.has("fieldsRemoved")) {
                only("fieldsRemoved", action, Set.of(Action.READ), "fields are removed on reads");
                removed = strings(node.get("fieldsRemoved"), "fieldsRemoved");
            }
            List<String> rejected = null;
            if (node.has("fieldsRejected")) {
                only("fieldsRejected", action, Set.of(Action.INSERT, Action.UPDATE, Action.REPLACE, Action.DELETE),
                        "fields are rejected on writes");
                rejected = strings(node.get("fieldsRejected"), "fieldsRejected");
            }
            List<String> filters = null;
            if (node.has("filters")) {
                only("filters", action, Set.of(Action.READ, Action.QUERY), "filters apply to queries");
                filters = strings(node.get("filters"), "filters");
            }
            Expectation expectation = new Expectation(outcome, reason, checksRole, role, checksVisible, visible, removed,
                    rejected, filters);
            if (expectation.checksNothing()) {
                throw new RuleCaseException("", "expect nothing? Give at least an outcome: ALLOWED, DENIED or PARTIAL");
            }
            return expectation;
        } catch (RuleCaseException e) {
            throw e.within("expect");
        }
    }

    private static void only(String field, Action action, Set<Action> actions, String why) {
        if (!actions.contains(action)) {
            throw new RuleCaseException(field, "does not apply to " + action.name().toLowerCase(Locale.ROOT) + " (" + why + ")");
        }
    }

    private static <E extends Enum<E>> E enumValue(JsonNode node, String field, Class<E> type) {
        String text = text(node, field);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text)) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name());
        }
        throw new RuleCaseException(field, "\"" + text + "\" is not one of " + String.join(", ", names));
    }

    private static List<String> strings(JsonNode node, String field) {
        if (!node.isArray()) {
            throw new RuleCaseException(field, "an array of field names, e.g. [\"diagnosis\", \"test_results\"]");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(text(node.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static Document document(JsonNode node, String field, Action action, Set<Action> actions) {
        if (!actions.contains(action)) {
            if (node.has(field)) {
                only(field, action, actions, "it is for " + names(actions));
            }
            return null;
        }
        if (!node.has(field)) {
            String verb = action.name().toLowerCase(Locale.ROOT);
            throw new RuleCaseException(field, ("aeiou".indexOf(verb.charAt(0)) >= 0 ? "an " : "a ") + verb + " case needs the "
                    + (field.equals("document") ? "document" : "document " + field + " the write") + " (Extended JSON)");
        }
        return documentValue(node.get(field), field);
    }

    private static Document optionalDocument(JsonNode node, String field, Action action, Set<Action> actions) {
        if (!node.has(field)) {
            return null;
        }
        only(field, action, actions, "it is for " + names(actions));
        return node.get(field).isNull() ? null : documentValue(node.get(field), field);
    }

    private static Document documentValue(JsonNode node, String field) {
        Object value = bson(node, field);
        if (!(value instanceof Document d)) {
            throw new RuleCaseException(field, "an object (Extended JSON, e.g. {\"_id\": {\"$oid\": \"…\"}}) is needed, not " + kind(node));
        }
        return d;
    }

    private static Map<String, Object> object(JsonNode node, String field) {
        if (!node.isObject()) {
            throw new RuleCaseException(field, "an object is needed, not " + kind(node));
        }
        return documentValue(node, field);
    }

    /** One JSON value as BSON, Extended JSON honoured ({@code $oid}, {@code $date}, {@code $numberLong} …). */
    private static Object bson(JsonNode node, String field) {
        try {
            return Document.parse("{\"v\": " + node + "}").get("v");
        } catch (RuntimeException e) {
            throw new RuleCaseException(field, "not valid Extended JSON: " + e.getMessage());
        }
    }

    private static String names(Set<Action> actions) {
        List<String> names = new ArrayList<>();
        for (Action a : Action.values()) {
            if (actions.contains(a)) {
                names.add(a.name().toLowerCase(Locale.ROOT));
            }
        }
        return String.join(", ", names);
    }

    private static String required(JsonNode node, String field, String what) {
        if (node.get(field) == null || node.get(field).isNull()) {
            missing(field, what);
        }
        return node.get(field).asText();
    }

    private static JsonNode missing(String field, String what) {
        throw new RuleCaseException(field, "missing; give " + what);
    }

    private static String text(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw new RuleCaseException(field, "a string is needed, not " + kind(node));
        }
        return node.asText();
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case STRING -> "a string";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static void unknownFields(JsonNode node, List<String> known, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new RuleCaseException(where.isEmpty() ? name : where + "." + name,
                        "unknown field; the fields are " + String.join(", ", known));
            }
        }
    }
}
