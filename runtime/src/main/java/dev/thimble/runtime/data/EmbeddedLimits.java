package dev.thimble.runtime.data;

import dev.thimble.runtime.data.DatabaseWarning.IgnoredFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the embedded server cannot do, judged per command before it runs: a command that needs a
 * missing feature is refused whole, so nothing of it is written; a command that uses a feature the
 * server would silently ignore runs, and the first use per feature and database is warned about.
 * Commands arrive as the wire-level command documents (any {@code Map}), so the judgement is the
 * same for every client, not only the Java driver.
 */
final class EmbeddedLimits {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedLimits.class);

    static final String CONNECT_A_REAL_MONGODB = "Connect a real MongoDB (thimble serve --mongo-uri ...) to use it.";

    /** Operators and stages the server lacks, found anywhere in a filter or a pipeline. */
    private static final Set<String> UNSUPPORTED_OPERATORS = Set.of(
            "$text", "$near", "$nearSphere", "$geoNear", "$geoWithin", "$geoIntersects",
            "$unionWith", "$setWindowFields",
            // the server fails on these only when a document reaches them: refused up front, a query's
            // answer never depends on whether the collection holds documents a caller cannot see
            "$bitsAllClear", "$bitsAllSet", "$bitsAnyClear", "$bitsAnySet", "$where", "$jsonSchema", "$function");

    /** Fields of a command that carry no meaning for collMod itself (session, write concern, API). */
    private static final Set<String> GENERIC_FIELDS = Set.of(
            "$db", "lsid", "txnNumber", "writeConcern", "comment", "maxTimeMS", "$readPreference", "$clusterTime",
            "apiVersion", "apiStrict", "apiDeprecationErrors");
    private static final Set<String> VALIDATOR_FIELDS = Set.of("validator", "validationLevel", "validationAction");

    /** What to do with a command. */
    enum Action {
        /** Run it. */
        EXECUTE,
        /** Do not run it; answer with the error message. */
        REFUSE,
        /** Do not run it; answer "ok" (it only asked for something that is ignored anyway). */
        ACKNOWLEDGE
    }

    record Verdict(Action action, String message) {
        static final Verdict EXECUTE = new Verdict(Action.EXECUTE, null);
        static final Verdict ACKNOWLEDGE = new Verdict(Action.ACKNOWLEDGE, null);

        static Verdict refuse(String feature) {
            return new Verdict(Action.REFUSE, "The embedded database does not support " + feature + ". " + CONNECT_A_REAL_MONGODB);
        }
    }

    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final List<DatabaseWarning> warnings = new CopyOnWriteArrayList<>();

    /** The warnings given so far, oldest first. */
    List<DatabaseWarning> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * Judges one command.
     *
     * @param database the database the command runs in
     * @param command  the command name (the first key of {@code body})
     * @param body     the whole command document
     */
    Verdict judge(String database, String command, Map<String, Object> body) {
        if (truthy(body.get("startTransaction")) || Boolean.FALSE.equals(body.get("autocommit"))) {
            return Verdict.refuse("multi-document transactions");
        }
        String namespace = namespace(database, body.get(command));
        switch (command.toLowerCase(Locale.ROOT)) {
            case "committransaction" -> {
                return Verdict.refuse("multi-document transactions");
            }
            case "aborttransaction" -> {
                // Every command of a transaction was refused, so there is nothing to roll back;
                // drivers send this when a session that tried to start one is closed.
                return Verdict.ACKNOWLEDGE;
            }
            case "find" -> {
                return filters(namespace, body, body.get("filter"));
            }
            case "count", "distinct" -> {
                return filters(namespace, body, body.get("query"));
            }
            case "aggregate" -> {
                return filters(namespace, body, body.get("pipeline"));
            }
            case "findandmodify" -> {
                if (body.get("update") instanceof List<?>) {
                    return Verdict.refuse("pipeline-style updates (an update given as an array of stages)");
                }
                return filters(namespace, body, body.get("query"));
            }
            case "update" -> {
                for (Map<?, ?> statement : maps(body.get("updates"))) {
                    if (statement.get("u") instanceof List<?>) {
                        return Verdict.refuse("pipeline-style updates (an update given as an array of stages)");
                    }
                    Verdict verdict = filters(namespace, statement, statement.get("q"));
                    if (verdict != Verdict.EXECUTE) {
                        return verdict;
                    }
                }
                return Verdict.EXECUTE;
            }
            case "delete" -> {
                for (Map<?, ?> statement : maps(body.get("deletes"))) {
                    Verdict verdict = filters(namespace, statement, statement.get("q"));
                    if (verdict != Verdict.EXECUTE) {
                        return verdict;
                    }
                }
                return Verdict.EXECUTE;
            }
            case "create" -> {
                if (truthy(body.get("capped"))) {
                    return Verdict.refuse("capped collections");
                }
                noticeCollation(namespace, body);
                noticeValidator(database, namespace, body);
                return Verdict.EXECUTE;
            }
            case "converttocapped", "clonecollectionascapped" -> {
                return Verdict.refuse("capped collections");
            }
            case "collmod" -> {
                for (String field : body.keySet()) {
                    if (!field.equals(command) && !GENERIC_FIELDS.contains(field) && !VALIDATOR_FIELDS.contains(field)) {
                        return Verdict.refuse("collMod with '" + field + "' (only validator changes are accepted, and ignored)");
                    }
                }
                noticeValidator(database, namespace, body);
                return Verdict.ACKNOWLEDGE;
            }
            case "createindexes" -> {
                for (Map<?, ?> index : maps(body.get("indexes"))) {
                    if (index.containsKey("expireAfterSeconds")) {
                        warn(IgnoredFeature.TTL_INDEX, database, namespace, "The embedded database ignores TTL indexes"
                                + " (expireAfterSeconds, first on " + namespace + "): documents never expire."
                                + " Connect a real MongoDB (thimble serve --mongo-uri ...) for expiry.");
                    }
                    if (index.containsKey("partialFilterExpression")) {
                        warn(IgnoredFeature.PARTIAL_INDEX, database, namespace, "The embedded database ignores"
                                + " partialFilterExpression (first on an index of " + namespace + "): a unique index"
                                + " applies to every document, not only to those matching the filter."
                                + " Connect a real MongoDB (thimble serve --mongo-uri ...) for partial indexes.");
                    }
                    noticeCollation(namespace, index);
                }
                return Verdict.EXECUTE;
            }
            default -> {
                return Verdict.EXECUTE;
            }
        }
    }

    /** Refuses what a filter or pipeline needs and the server lacks; notices a collation. */
    private Verdict filters(String namespace, Map<?, ?> holder, Object filterOrPipeline) {
        String operator = findUnsupportedOperator(filterOrPipeline);
        if (operator != null) {
            return Verdict.refuse(operator);
        }
        noticeCollation(namespace, holder);
        return Verdict.EXECUTE;
    }

    private static String findUnsupportedOperator(Object value) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (entry.getKey() instanceof String key && UNSUPPORTED_OPERATORS.contains(key)) {
                    return key;
                }
                String nested = findUnsupportedOperator(entry.getValue());
                if (nested != null) {
                    return nested;
                }
            }
        } else if (value instanceof List<?> list) {
            for (Object element : list) {
                String nested = findUnsupportedOperator(element);
                if (nested != null) {
                    return nested;
                }
            }
        }
        return null;
    }

    private void noticeCollation(String namespace, Map<?, ?> holder) {
        if (holder.get("collation") instanceof Map<?, ?> collation && !isSimple(collation)) {
            warn(IgnoredFeature.COLLATION, databaseOf(namespace), namespace, "The embedded database ignores collation"
                    + " (first on " + namespace + "): strings compare by simple binary order, case and accents included."
                    + " Connect a real MongoDB (thimble serve --mongo-uri ...) for collation.");
        }
    }

    private static boolean isSimple(Map<?, ?> collation) {
        return collation.isEmpty() || (collation.size() == 1 && "simple".equals(collation.get("locale")));
    }

    private void noticeValidator(String database, String namespace, Map<?, ?> body) {
        Object validator = body.get("validator");
        boolean hasValidator = validator instanceof Map<?, ?> map && !map.isEmpty();
        if (hasValidator) {
            String kind = ((Map<?, ?>) validator).containsKey("$jsonSchema") ? "$jsonSchema validators" : "validators";
            warn(IgnoredFeature.VALIDATOR, database, namespace, "The embedded database ignores " + kind
                    + " (first on " + namespace + "): documents are written without validation."
                    + " Connect a real MongoDB (thimble serve --mongo-uri ...) for validation.");
        }
    }

    private void warn(IgnoredFeature feature, String database, String namespace, String message) {
        if (warned.add(feature + " " + database)) {
            warnings.add(new DatabaseWarning(feature, namespace, message));
            log.warn(message);
        }
    }

    private static boolean truthy(Object value) {
        return Boolean.TRUE.equals(value) || (value instanceof Number number && number.doubleValue() != 0);
    }

    private static List<Map<?, ?>> maps(Object value) {
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(Map.class::isInstance).<Map<?, ?>>map(Map.class::cast).toList();
    }

    private static String namespace(String database, Object collection) {
        return collection instanceof String name ? database + "." + name : database;
    }

    private static String databaseOf(String namespace) {
        int dot = namespace.indexOf('.');
        return dot < 0 ? namespace : namespace.substring(0, dot);
    }
}
