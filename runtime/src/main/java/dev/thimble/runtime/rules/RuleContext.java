package dev.thimble.runtime.rules;

import dev.thimble.runtime.principal.Principal;

import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.Document;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.DocumentCodec;

import java.util.ArrayList;
import java.util.List;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a rule expression can read, immutable: the caller ({@code %%user}, or the system
 * caller that bypasses rules), {@code %%values}, {@code %%environment}, {@code %%request},
 * {@code %%args}, {@code %%partition}, the function caller for {@code %function}; per document
 * {@code %%root}/{@code %%prevRoot} and per field {@code %%this}/{@code %%prev}, set by the
 * {@code with…} methods, which return a new context. Absent values are "missing", not null.
 *
 * <p>Build one per request (request-level inputs are copied once); {@link CollectionRules} derives the
 * per-document contexts itself. Documents given to {@code withRoot} are read, never copied or changed.
 */
public final class RuleContext {
    private static final RuleContext SYSTEM = new RuleContext(true, null, Values.MISSING, Map.of(),
            Values.MISSING, Values.MISSING, Values.MISSING, Values.MISSING, FunctionCaller.UNAVAILABLE,
            Values.MISSING, Values.MISSING, Values.MISSING, Values.MISSING);

    final boolean system;
    final Principal user;
    final Object userDocument;
    final Map<String, Object> values;
    final Object valuesDocument;
    final Object environment;
    final Object request;
    final Object args;
    final Object partition;
    final FunctionCaller functions;
    final Object root;
    final Object prevRoot;
    final Object thisValue;
    final Object prevValue;

    private RuleContext(boolean system, Principal user, Object userDocument, Map<String, Object> values,
                        Object environment, Object request, Object args, Object partition, FunctionCaller functions,
                        Object root, Object prevRoot, Object thisValue, Object prevValue) {
        this.system = system;
        this.user = user;
        this.userDocument = userDocument;
        this.values = values;
        this.valuesDocument = new Document(values);
        this.environment = environment;
        this.request = request;
        this.args = args;
        this.partition = partition;
        this.functions = functions;
        this.root = root;
        this.prevRoot = prevRoot;
        this.thisValue = thisValue;
        this.prevValue = prevValue;
    }

    private RuleContext(RuleContext base, Object root, Object prevRoot, Object thisValue, Object prevValue) {
        this.system = base.system;
        this.user = base.user;
        this.userDocument = base.userDocument;
        this.values = base.values;
        this.valuesDocument = base.valuesDocument;
        this.environment = base.environment;
        this.request = base.request;
        this.args = base.args;
        this.partition = base.partition;
        this.functions = base.functions;
        this.root = root;
        this.prevRoot = prevRoot;
        this.thisValue = thisValue;
        this.prevValue = prevValue;
    }

    /** The system caller ({@code run_as_system}): every {@link CollectionRules} check allows it without evaluating rules. */
    public static RuleContext system() {
        return SYSTEM;
    }

    public static Builder forUser(Principal user) {
        return new Builder(Objects.requireNonNull(user, "user"));
    }

    public boolean isSystem() {
        return system;
    }

    /** The calling user, or null for the system caller. */
    public Principal user() {
        return user;
    }

    /** This context with {@code %%root} and {@code %%prevRoot} set (null: missing) and no field values. */
    public RuleContext withRoot(Document root, Document prevRoot) {
        return new RuleContext(this, orMissing(root), orMissing(prevRoot), Values.MISSING, Values.MISSING);
    }

    /** This context with {@code %%this} and {@code %%prev} set; {@link #missing()} for an absent value. */
    public RuleContext withField(Object thisValue, Object prevValue) {
        return new RuleContext(this, root, prevRoot, thisValue, prevValue);
    }

    /** The marker for "no value" in {@link #withField} (distinct from a stored null). */
    public static Object missing() {
        return Values.MISSING;
    }

    RuleContext withRootValues(Object root, Object prevRoot) {
        return new RuleContext(this, root, prevRoot, Values.MISSING, Values.MISSING);
    }

    /**
     * The {@code %%user} document: {@code {id, type, data, custom_data, identities: [{id, providerType}]}}
     * ({@code providerType} is camelCase in expressions, {@code provider_type} over REST). BSON values
     * are decoded with the codec, value by value.
     */
    private static Document userDocument(Principal user) {
        List<Document> ids = new ArrayList<>(user.identities().size());
        for (Principal.Identity identity : user.identities()) {
            ids.add(new Document("id", identity.id()).append("providerType", identity.providerType()));
        }
        return new Document("id", user.id()).append("type", user.type()).append("data", document(user.data()))
                .append("custom_data", document(user.customData())).append("identities", ids);
    }

    private static final DocumentCodec DOCUMENTS = new DocumentCodec();

    private static Document document(BsonDocument bson) {
        return DOCUMENTS.decode(new BsonDocumentReader(bson), DecoderContext.builder().build());
    }

    private static Object orMissing(Object value) {
        return value == null ? Values.MISSING : value;
    }

    /** Builds the request-level context of one user. */
    public static final class Builder {
        private final Principal user;
        private Map<String, Object> values = Map.of();
        private Object environment = Values.MISSING;
        private Object request = Values.MISSING;
        private Object args = Values.MISSING;
        private Object partition = Values.MISSING;
        private FunctionCaller functions = FunctionCaller.UNAVAILABLE;

        private Builder(Principal user) {
            this.user = user;
        }

        /** {@code %%values}: app values by name (secrets included when linked). */
        public Builder values(Map<String, ?> values) {
            Map<String, Object> copy = new LinkedHashMap<>();
            values.forEach((name, value) -> copy.put(name, Values.toExternal(value)));
            this.values = java.util.Collections.unmodifiableMap(copy);
            return this;
        }

        /** {@code %%environment}: {@code {tag, values}}. */
        public Builder environment(String tag, Map<String, ?> environmentValues) {
            this.environment = new Document("tag", tag).append("values", Values.toExternal(new Document(new LinkedHashMap<>(environmentValues))));
            return this;
        }

        /** {@code %%request}: {@code {httpMethod, remoteIPAddress, requestHeaders, service, action, …}}. */
        public Builder request(Document request) {
            this.request = request == null ? Values.MISSING : Values.toExternal(request);
            return this;
        }

        /** {@code %%args}: the arguments of a service action or function rule. */
        public Builder args(Document args) {
            this.args = args == null ? Values.MISSING : Values.toExternal(args);
            return this;
        }

        /** {@code %%partition} (partition-based sync only). */
        public Builder partition(Object partition) {
            this.partition = partition == null ? Values.MISSING : Values.toExternal(partition);
            return this;
        }

        public Builder functions(FunctionCaller functions) {
            this.functions = Objects.requireNonNull(functions, "functions");
            return this;
        }

        public RuleContext build() {
            return new RuleContext(false, user, userDocument(user), values, environment, request, args, partition,
                    functions, Values.MISSING, Values.MISSING, Values.MISSING, Values.MISSING);
        }
    }
}
