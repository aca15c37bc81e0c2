package dev.thimble.runtime.logs;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonJavaScript;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replaces known secret values in a record's free text with {@link #MASK}. Immutable and
 * allocation-free when nothing matches, so it can run on the request path.
 */
final class Redactor {
    static final String MASK = "****";
    static final Redactor NONE = new Redactor(List.of());

    private final List<String> secrets;

    private Redactor(List<String> secrets) { this.secrets = secrets; }

    static Redactor of(Collection<String> secretValues) {
        if (secretValues == null || secretValues.isEmpty()) { return NONE; }
        List<String> s = secretValues.stream()
                .filter(Objects::nonNull)
                .filter(v -> !v.isEmpty())
                .distinct()
                // longest first: a secret that contains another must not leave its tail behind
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        return s.isEmpty() ? NONE : new Redactor(s);
    }

    boolean isEmpty() { return secrets.isEmpty(); }

    LogRecord apply(LogRecord r) {
        if (secrets.isEmpty()) { return r; }
        String url = text(r.requestUrl());
        String error = text(r.error());
        List<String> messages = messages(r.messages());
        BsonArray arguments = r.arguments() == null ? null : (BsonArray) value(r.arguments());
        BsonDocument decision = r.decision() == null ? null : (BsonDocument) value(r.decision());
        BsonDocument metrics = r.ruleMetrics() == null ? null : (BsonDocument) value(r.ruleMetrics());
        BsonValue result = r.result() == null ? null : value(r.result());
        LogRecord.AuthEvent auth = r.authEvent();
        if (auth != null) {
            String fail = text(auth.failMessage());
            if (fail != auth.failMessage()) { auth = new LogRecord.AuthEvent(auth.provider(), fail); }
        }
        if (url == r.requestUrl() && error == r.error() && messages == r.messages()
                && arguments == r.arguments() && decision == r.decision() && metrics == r.ruleMetrics()
                && auth == r.authEvent() && result == r.result()) {
            return r;
        }
        return new LogRecord(r.id(), r.coId(), r.type(), url, r.requestMethod(), r.started(), r.completed(),
                r.userId(), r.remoteIpAddress(), r.platform(), r.platformVersion(), r.sdkName(), r.sdkVersion(),
                r.status(), error, r.errorCode(), r.functionName(), r.functionId(), r.serviceName(),
                r.serviceAction(), r.namespace(), r.eventSubscriptionId(), r.eventSubscriptionName(),
                arguments, messages, decision, metrics, auth, result);
    }

    /** The text with secrets masked, or the same instance when it contains none. */
    String text(String s) {
        if (s == null) { return null; }
        String out = s;
        for (String secret : secrets) {
            if (out.contains(secret)) { out = out.replace(secret, MASK); }
        }
        return out;
    }

    private List<String> messages(List<String> lines) {
        List<String> out = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String red = text(line);
            if (red != line && out == null) { out = new ArrayList<>(lines.subList(0, i)); }
            if (out != null) { out.add(red); }
        }
        return out == null ? lines : out;
    }

    /** The value with secrets masked in strings and keys, or the same instance when it has none. */
    private BsonValue value(BsonValue v) {
        switch (v.getBsonType()) {
            case STRING -> {
                String s = v.asString().getValue();
                String red = text(s);
                return red == s ? v : new BsonString(red);
            }
            case JAVASCRIPT -> {
                String s = v.asJavaScript().getCode();
                String red = text(s);
                return red == s ? v : new BsonJavaScript(red);
            }
            case ARRAY -> {
                BsonArray a = v.asArray();
                BsonArray out = null;
                for (int i = 0; i < a.size(); i++) {
                    BsonValue e = a.get(i);
                    BsonValue red = value(e);
                    if (red != e && out == null) { out = new BsonArray(new ArrayList<>(a.getValues().subList(0, i))); }
                    if (out != null) { out.add(red); }
                }
                return out == null ? v : out;
            }
            case DOCUMENT -> {
                BsonDocument d = v.asDocument();
                boolean changed = false;
                List<Map.Entry<String, BsonValue>> entries = new ArrayList<>(d.size());
                for (Map.Entry<String, BsonValue> e : d.entrySet()) {
                    String original = e.getKey();
                    BsonValue value = e.getValue();
                    String key = text(original);
                    BsonValue red = value(value);
                    changed |= key != original || red != value;
                    entries.add(Map.entry(key, red));
                }
                if (!changed) { return v; }
                BsonDocument out = new BsonDocument();
                entries.forEach(e -> out.append(e.getKey(), e.getValue()));
                return out;
            }
            default -> { return v; }
        }
    }
}
