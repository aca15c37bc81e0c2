package dev.thimble.runtime.logs;

import org.bson.BsonArray;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.RawBsonArray;
import org.bson.RawBsonDocument;
import org.bson.codecs.BsonDocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.ObjectId;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static dev.thimble.runtime.logs.LogFields.*;

/**
 * One logged event: a request, a function run, a trigger run or an auth event (STITCH-SPEC §7,
 * "Log record"). Immutable; {@code null} means "not applicable" for every optional component.
 *
 * <p>The request path fills a {@link Builder} as it goes ({@link #start(LogType, Clock)}), then
 * {@link Builder#finish(LogStatus)} it and hands the result to {@link LogService#append}.
 * Instants are kept at millisecond precision (the stored BSON date's), so a record equals what
 * {@link #fromDocument} reads back from {@link #toDocument}. The BSON components are copied into
 * read-only raw BSON on construction; nobody can change a record after the fact.
 *
 * <p><b>Secrets.</b> Callers must not put secret values into a record: not into console
 * {@code messages}, {@code arguments}, error text or URLs. {@link LogService} replaces every
 * known secret value with {@code ****} ({@link #redact}) before a record is stored or published,
 * but that is a safety net for values the runtime knows about, not a licence to log secrets.
 *
 * @param arguments the function's arguments; {@code null} when not logged ({@code disable_arg_logs})
 * @param messages  console output of the run, one entry per {@code console.log} call; never null
 * @param decision  the rules engine's account of what it decided and why (opaque here)
 * @param ruleMetrics the spec's {@code rule_metrics} (opaque here)
 * @param result    what the function returned (at most {@link #MAX_RESULT_BYTES} of it, else a
 *                  {@code {truncated, bytes, preview}} document); {@code null} when there is none or
 *                  the function sets {@code disable_arg_logs}
 */
public record LogRecord(
        ObjectId id,
        String coId,
        LogType type,
        String requestUrl,
        String requestMethod,
        Instant started,
        Instant completed,
        String userId,
        String remoteIpAddress,
        String platform,
        String platformVersion,
        String sdkName,
        String sdkVersion,
        LogStatus status,
        String error,
        String errorCode,
        String functionName,
        String functionId,
        String serviceName,
        String serviceAction,
        String namespace,
        String eventSubscriptionId,
        String eventSubscriptionName,
        BsonArray arguments,
        List<String> messages,
        BsonDocument decision,
        BsonDocument ruleMetrics,
        AuthEvent authEvent,
        BsonValue result) {

    /** What the spec's {@code auth_event} holds: the provider and, for a failed attempt, why. */
    public record AuthEvent(String provider, String failMessage) {}

    private static final BsonDocumentCodec CODEC = new BsonDocumentCodec();

    public LogRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(completed, "completed");
        Objects.requireNonNull(status, "status");
        coId = coId != null ? coId : id.toHexString();
        started = started.truncatedTo(ChronoUnit.MILLIS);
        completed = completed.truncatedTo(ChronoUnit.MILLIS);
        messages = messages == null ? List.of() : List.copyOf(messages);
        arguments = frozen(arguments);
        decision = frozen(decision);
        ruleMetrics = frozen(ruleMetrics);
        result = frozen(result);
    }

    /** Results larger than this (as BSON) are kept as a preview, so one big {@code find} does not bloat the log. */
    public static final int MAX_RESULT_BYTES = 16 * 1024;

    /** Starts a record of an event that begins now (by {@code clock}); not thread-safe. */
    public static Builder start(LogType type, Clock clock) {
        return new Builder(type, clock);
    }

    /** {@code completed - started}, the duration the spec derives. */
    public Duration duration() {
        return Duration.between(started, completed);
    }

    public boolean isError() {
        return status == LogStatus.ERROR;
    }

    /** This record as another type (a trigger run that failed becomes {@code TRIGGER_FAILURE}). */
    public LogRecord withType(LogType newType) {
        return new LogRecord(id, coId, newType, requestUrl, requestMethod, started, completed, userId, remoteIpAddress,
                platform, platformVersion, sdkName, sdkVersion, status, error, errorCode, functionName, functionId,
                serviceName, serviceAction, namespace, eventSubscriptionId, eventSubscriptionName, arguments, messages,
                decision, ruleMetrics, authEvent, result);
    }

    /**
     * This record without its arguments, decision, rule metrics and result: what the log service's ring keeps of a
     * stored record once the ring's byte budget is spent (issue 18). The rest (ids, type, times, status, error,
     * function, messages) stays.
     */
    LogRecord withoutHeavyParts() {
        if (arguments == null && decision == null && ruleMetrics == null && result == null) { return this; }
        return new LogRecord(id, coId, type, requestUrl, requestMethod, started, completed, userId, remoteIpAddress,
                platform, platformVersion, sdkName, sdkVersion, status, error, errorCode, functionName, functionId,
                serviceName, serviceAction, namespace, eventSubscriptionId, eventSubscriptionName, null, messages,
                null, null, authEvent, null);
    }

    /**
     * The BSON bytes of the parts {@link #withoutHeavyParts()} leaves out: what the ring frees by releasing this
     * record. The decision and rule metrics are raw documents that know their length; the arguments and a result
     * that is not a document are measured by encoding them (the log writer's thread does this, not the request's).
     */
    long heavyBytes() {
        return bytes(decision) + bytes(ruleMetrics)
                + (arguments == null ? 0 : bytes(new BsonDocument(ARGUMENTS, arguments)))
                + (result == null ? 0 : result instanceof BsonDocument d ? bytes(d) : bytes(new BsonDocument(RESULT, result)));
    }

    private static long bytes(BsonDocument d) {
        if (d == null) { return 0; }
        return (d instanceof RawBsonDocument raw ? raw : exact(d)).getByteBuffer().remaining();
    }

    /**
     * This record with every occurrence of each of {@code secretValues} replaced by {@code ****}
     * in its free text: messages, arguments, error, request URL, decision, rule metrics and the auth
     * failure message. Longer secrets are replaced first, so a secret that contains another leaves
     * no tail behind. Returns {@code this} when nothing matched.
     */
    public LogRecord redact(Set<String> secretValues) {
        return Redactor.of(secretValues).apply(this);
    }

    /** The stored form; absent components are left out. */
    public BsonDocument toDocument() {
        BsonDocument d = new BsonDocument();
        d.put(ID, new BsonObjectId(id));
        d.put(CO_ID, new BsonString(coId));
        d.put(TYPE, new BsonString(type.name()));
        putString(d, REQUEST_URL, requestUrl);
        putString(d, REQUEST_METHOD, requestMethod);
        d.put(STARTED, new BsonDateTime(started.toEpochMilli()));
        d.put(COMPLETED, new BsonDateTime(completed.toEpochMilli()));
        putString(d, USER_ID, userId);
        putString(d, REMOTE_IP, remoteIpAddress);
        putString(d, PLATFORM, platform);
        putString(d, PLATFORM_VERSION, platformVersion);
        putString(d, SDK_NAME, sdkName);
        putString(d, SDK_VERSION, sdkVersion);
        d.put(STATUS, new BsonString(status.wire()));
        putString(d, ERROR, error);
        putString(d, ERROR_CODE, errorCode);
        putString(d, FUNCTION_NAME, functionName);
        putString(d, FUNCTION_ID, functionId);
        putString(d, SERVICE_NAME, serviceName);
        putString(d, SERVICE_ACTION, serviceAction);
        putString(d, NAMESPACE, namespace);
        putString(d, EVENT_SUBSCRIPTION_ID, eventSubscriptionId);
        putString(d, EVENT_SUBSCRIPTION_NAME, eventSubscriptionName);
        if (arguments != null) { d.put(ARGUMENTS, arguments); }
        if (!messages.isEmpty()) {
            BsonArray m = new BsonArray(new ArrayList<>(messages.size()));
            for (String s : messages) { m.add(new BsonString(s)); }
            d.put(MESSAGES, m);
        }
        if (decision != null) { d.put(DECISION, decision); }
        if (ruleMetrics != null) { d.put(RULE_METRICS, ruleMetrics); }
        if (authEvent != null) {
            BsonDocument a = new BsonDocument();
            putString(a, AUTH_PROVIDER, authEvent.provider());
            putString(a, AUTH_FAIL_MESSAGE, authEvent.failMessage());
            d.put(AUTH_EVENT, a);
        }
        if (result != null) { d.put(RESULT, result); }
        return d;
    }

    /**
     * Reads the stored form back.
     *
     * @throws IllegalArgumentException naming the field, when a field has the wrong BSON type or
     *         an unknown {@code type}/{@code status} value
     */
    public static LogRecord fromDocument(BsonDocument d) {
        Reader r = new Reader(d);
        BsonDocument auth = r.document(AUTH_EVENT);
        BsonArray messages = r.array(MESSAGES);
        List<String> lines = new ArrayList<>(messages == null ? 0 : messages.size());
        if (messages != null) {
            for (int i = 0; i < messages.size(); i++) {
                BsonValue v = messages.get(i);
                if (!v.isString()) { throw r.wrongType(MESSAGES + "." + i, v, "string"); }
                lines.add(v.asString().getValue());
            }
        }
        return new LogRecord(
                r.objectId(ID),
                r.string(CO_ID),
                r.type(),
                r.string(REQUEST_URL),
                r.string(REQUEST_METHOD),
                r.date(STARTED),
                r.date(COMPLETED),
                r.string(USER_ID),
                r.string(REMOTE_IP),
                r.string(PLATFORM),
                r.string(PLATFORM_VERSION),
                r.string(SDK_NAME),
                r.string(SDK_VERSION),
                r.status(),
                r.string(ERROR),
                r.string(ERROR_CODE),
                r.string(FUNCTION_NAME),
                r.string(FUNCTION_ID),
                r.string(SERVICE_NAME),
                r.string(SERVICE_ACTION),
                r.string(NAMESPACE),
                r.string(EVENT_SUBSCRIPTION_ID),
                r.string(EVENT_SUBSCRIPTION_NAME),
                r.array(ARGUMENTS),
                lines,
                r.document(DECISION),
                r.document(RULE_METRICS),
                auth == null ? null : new AuthEvent(
                        new Reader(auth).string(AUTH_PROVIDER), new Reader(auth).string(AUTH_FAIL_MESSAGE)),
                d.get(RESULT));
    }

    private static void putString(BsonDocument d, String key, String value) {
        if (value != null) { d.put(key, new BsonString(value)); }
    }

    static BsonDocument frozen(BsonDocument d) {
        if (d == null || d instanceof RawBsonDocument) { return d; }
        return exact(d);
    }

    /**
     * {@code d} encoded, in an array of exactly its length. {@code new RawBsonDocument(d, codec)} keeps its encoder's
     * whole buffer, which grows by doubling: a 33 kB rule decision held a 64 kB array, and the log service's ring keeps
     * its last 10,000 records on the heap (issue 18: serve's live heap grew by ~20 kB per client request until its
     * 192 MB ceiling was all collections, bench/results/issue18-perfserve2-s11.md). Values taken from the result
     * ({@code getArray}, {@code get}) share its array, so they are as small.
     */
    static RawBsonDocument exact(BsonDocument d) {
        BasicOutputBuffer buffer = new BasicOutputBuffer(256);
        try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
            CODEC.encode(writer, d, EncoderContext.builder().build());
        }
        return new RawBsonDocument(buffer.toByteArray());
    }

    static BsonArray frozen(BsonArray a) {
        if (a == null || a instanceof RawBsonArray) { return a; }
        return exact(new BsonDocument(ARGUMENTS, a)).getArray(ARGUMENTS);
    }

    static BsonValue frozen(BsonValue v) {
        if (v == null) { return null; }
        return exact(new BsonDocument(RESULT, v)).get(RESULT);
    }

    /** The result as logged: the value itself, or a preview when its BSON is larger than {@link #MAX_RESULT_BYTES}. */
    static BsonValue capped(BsonValue value) {
        if (value == null) { return null; }
        RawBsonDocument raw = exact(new BsonDocument(RESULT, value));
        int bytes = raw.getByteBuffer().remaining();
        if (bytes <= MAX_RESULT_BYTES) { return raw.get(RESULT); }
        // the writer stops at maxLength: a 10 MB result is not turned into 10 MB of JSON for a 2 KB preview
        String preview = new BsonDocument(RESULT, value).toJson(org.bson.json.JsonWriterSettings.builder().maxLength(2048).build());
        return new BsonDocument("truncated", org.bson.BsonBoolean.TRUE)
                .append("bytes", new org.bson.BsonInt32(bytes))
                .append("preview", new BsonString(preview));
    }

    /** Reads typed fields, naming the field when one has the wrong type. */
    private record Reader(BsonDocument d) {
        String string(String key) {
            BsonValue v = d.get(key);
            if (v == null || v.isNull()) { return null; }
            if (!v.isString()) { throw wrongType(key, v, "string"); }
            return v.asString().getValue();
        }

        ObjectId objectId(String key) {
            BsonValue v = d.get(key);
            if (v == null || !v.isObjectId()) { throw wrongType(key, v, "objectId"); }
            return v.asObjectId().getValue();
        }

        Instant date(String key) {
            BsonValue v = d.get(key);
            if (v == null || !v.isDateTime()) { throw wrongType(key, v, "date"); }
            return Instant.ofEpochMilli(v.asDateTime().getValue());
        }

        BsonArray array(String key) {
            BsonValue v = d.get(key);
            if (v == null || v.isNull()) { return null; }
            if (!v.isArray()) { throw wrongType(key, v, "array"); }
            return v.asArray();
        }

        BsonDocument document(String key) {
            BsonValue v = d.get(key);
            if (v == null || v.isNull()) { return null; }
            if (!v.isDocument()) { throw wrongType(key, v, "document"); }
            return v.asDocument();
        }

        LogType type() {
            String t = string(TYPE);
            try {
                return LogType.valueOf(Objects.requireNonNull(t, "missing"));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(where() + "field '" + TYPE + "' is '" + t + "', not a known log type");
            }
        }

        LogStatus status() {
            String s = string(STATUS);
            try {
                return LogStatus.fromWire(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where() + "field '" + STATUS + "': " + e.getMessage());
            }
        }

        IllegalArgumentException wrongType(String key, BsonValue v, String expected) {
            return new IllegalArgumentException(where() + "field '" + key + "' is "
                    + (v == null ? "missing" : v.getBsonType().name().toLowerCase()) + ", expected " + expected);
        }

        private String where() {
            BsonValue id = d.get(ID);
            return "log record " + (id != null && id.isObjectId() ? id.asObjectId().getValue().toHexString() + " " : "");
        }
    }

    /**
     * Fills a record in while the event runs. Not thread-safe: one request fills one builder.
     * {@link #finish} takes the completion time from the same clock as the start.
     */
    public static final class Builder {
        private final Clock clock;
        private LogType type;
        private final Instant started;
        private final ObjectId id;
        private String coId;
        private String requestUrl;
        private String requestMethod;
        private String userId;
        private String remoteIpAddress;
        private String platform;
        private String platformVersion;
        private String sdkName;
        private String sdkVersion;
        private String error;
        private String errorCode;
        private String functionName;
        private String functionId;
        private String serviceName;
        private String serviceAction;
        private String namespace;
        private String eventSubscriptionId;
        private String eventSubscriptionName;
        private BsonArray arguments;
        private final List<String> messages = new ArrayList<>();
        private BsonDocument decision;
        private BsonDocument ruleMetrics;
        private AuthEvent authEvent;
        private BsonValue result;

        private Builder(LogType type, Clock clock) {
            this.type = Objects.requireNonNull(type, "type");
            this.clock = Objects.requireNonNull(clock, "clock");
            this.started = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            this.id = new ObjectId(Date.from(started));
        }

        /** The record's id, known from the start (e.g. to answer with it). */
        public ObjectId id() { return id; }

        /**
         * What the event turned out to be, when that is known only later than its start (the request
         * log learns a request's route family after the request began).
         */
        public Builder type(LogType type) { this.type = Objects.requireNonNull(type, "type"); return this; }

        /** The correlation id; defaults to the record's own id. */
        public String coId() { return coId != null ? coId : id.toHexString(); }

        /** Links this record to the request it belongs to (a function run inside a client call). */
        public Builder coId(String coId) { this.coId = coId; return this; }

        public Builder request(String method, String url) {
            this.requestMethod = method;
            this.requestUrl = url;
            return this;
        }

        public Builder userId(String userId) { this.userId = userId; return this; }

        public Builder remoteIpAddress(String ip) { this.remoteIpAddress = ip; return this; }

        /** From the SDK's request headers, when it sent them. */
        public Builder platform(String platform, String version) {
            this.platform = platform;
            this.platformVersion = version;
            return this;
        }

        /** From the SDK's request headers, when it sent them. */
        public Builder sdk(String name, String version) {
            this.sdkName = name;
            this.sdkVersion = version;
            return this;
        }

        public Builder function(String name, String id) {
            this.functionName = name;
            this.functionId = id;
            return this;
        }

        /** A service action, e.g. {@code ("mongodb-atlas", "find")}. */
        public Builder service(String name, String action) {
            this.serviceName = name;
            this.serviceAction = action;
            return this;
        }

        /** {@code db.collection} of a MongoDB action or database trigger. */
        public Builder namespace(String namespace) { this.namespace = namespace; return this; }

        public Builder trigger(String id, String name) {
            this.eventSubscriptionId = id;
            this.eventSubscriptionName = name;
            return this;
        }

        /**
         * The function's arguments, unless the function sets {@code disable_arg_logs}, in which
         * case nothing is kept. Pass the flag from the function's config, never a literal.
         */
        public Builder arguments(BsonArray arguments, boolean disableArgLogs) {
            this.arguments = disableArgLogs ? null : arguments;
            return this;
        }

        /**
         * What the function returned (capped at {@link #MAX_RESULT_BYTES}), unless the function sets
         * {@code disable_arg_logs}: like its arguments, its result may be personal data.
         */
        public Builder result(BsonValue value, boolean disableArgLogs) {
            this.result = disableArgLogs ? null : capped(value);
            return this;
        }

        /** One line of console output. */
        public Builder message(String line) { this.messages.add(Objects.requireNonNull(line, "line")); return this; }

        public Builder messages(List<String> lines) { lines.forEach(this::message); return this; }

        /** What went wrong; {@link #finish()} then records an error. */
        public Builder error(String message, String code) {
            this.error = message;
            this.errorCode = code;
            return this;
        }

        public Builder decision(BsonDocument decision) { this.decision = decision; return this; }

        public Builder ruleMetrics(BsonDocument ruleMetrics) { this.ruleMetrics = ruleMetrics; return this; }

        public Builder authEvent(String provider, String failMessage) {
            this.authEvent = new AuthEvent(provider, failMessage);
            return this;
        }

        /** Completes the record now, {@code ERROR} if an error was set, else {@code SUCCESS}. */
        public LogRecord finish() {
            return finish(error != null || errorCode != null ? LogStatus.ERROR : LogStatus.SUCCESS);
        }

        /** Completes the record now with the given status. */
        public LogRecord finish(LogStatus status) {
            return new LogRecord(id, coId, type, requestUrl, requestMethod, started, clock.instant(),
                    userId, remoteIpAddress, platform, platformVersion, sdkName, sdkVersion,
                    status, error, errorCode, functionName, functionId, serviceName, serviceAction,
                    namespace, eventSubscriptionId, eventSubscriptionName, arguments, messages,
                    decision, ruleMetrics, authEvent, result);
        }
    }
}
