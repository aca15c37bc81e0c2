package dev.thimble.runtime.expressions;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;

/**
 * The words of the rule expression language (STITCH-SPEC §2C): the {@code %}-operators, the
 * {@code %%} expansions and the {@code $}-operators, in the order the spec lists them (messages
 * print them in this order).
 */
public final class ExpressionVocabulary {

    /** Every {@code %}-operator. */
    public static final SequencedSet<String> PERCENT_OPERATORS = ordered(
            "%function", "%stringToOid", "%oidToString", "%stringToUuid", "%uuidToString",
            "%and", "%or", "%not", "%nor", "%exists", "%in", "%nin");

    /** The conversion operators: they take a literal or an expansion, never a nested operator. */
    public static final SequencedSet<String> CONVERSION_OPERATORS = ordered(
            "%stringToOid", "%oidToString", "%stringToUuid", "%uuidToString");

    /** The operators whose argument is an array of expressions. */
    public static final SequencedSet<String> ARRAY_OPERATORS = ordered("%and", "%or", "%nor");

    /**
     * The roots of every expansion: {@code %%user.custom_data.team} has the root {@code %%user}.
     * {@code %%ctx} is deliberately absent: it exists in no public material.
     */
    public static final SequencedSet<String> EXPANSION_ROOTS = ordered(
            "%%true", "%%false", "%%user", "%%root", "%%prevRoot", "%%this", "%%prev", "%%args",
            "%%values", "%%environment", "%%request", "%%partition");

    /** The {@code $}-operators a rule expression may use as comparisons. */
    public static final SequencedSet<String> COMPARISON_OPERATORS = ordered(
            "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists");

    /**
     * The {@code $}-operators of a MongoDB query, allowed in a filter's {@code query} (which is a
     * query with expansions, not a rule expression).
     */
    public static final SequencedSet<String> QUERY_OPERATORS = ordered(
            "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists",
            "$and", "$or", "$nor", "$not", "$regex", "$options", "$elemMatch", "$size", "$all",
            "$type", "$mod", "$expr", "$jsonSchema", "$where", "$comment",
            "$text", "$search", "$language", "$caseSensitive", "$diacriticSensitive",
            "$near", "$nearSphere", "$geoWithin", "$geoIntersects", "$geometry", "$maxDistance",
            "$minDistance", "$box", "$center", "$centerSphere", "$polygon",
            "$bitsAllSet", "$bitsAnySet", "$bitsAllClear", "$bitsAnyClear");

    /** Query operators whose argument is another language (aggregation, JSON Schema, JavaScript). */
    public static final SequencedSet<String> OPAQUE_QUERY_OPERATORS = ordered("$expr", "$jsonSchema", "$where");

    /** Extended JSON type wrappers: {@code {"$oid": "..."}} is a literal, not an operator. */
    public static final SequencedSet<String> EJSON_TYPE_KEYS = ordered(
            "$oid", "$date", "$numberInt", "$numberLong", "$numberDouble", "$numberDecimal",
            "$binary", "$uuid", "$regularExpression", "$timestamp", "$minKey", "$maxKey",
            "$symbol", "$code", "$dbPointer", "$undefined");

    /**
     * MongoDB's logical operators, which the service accepted in rule expressions (its own docs put
     * {@code $or} in an {@code apply_when}) with the meaning of the {@code %}-operator of the same name.
     */
    public static final Map<String, String> LOGICAL_ALIASES = Map.of("$and", "%and", "$or", "%or", "$nor", "%nor", "$not", "%not");

    /** Words people write that do not exist, with what they meant. */
    private static final Map<String, String> KNOWN_MISTAKES = Map.of(
            "%oid", "%stringToOid",
            "%%oid", "%stringToOid");

    private ExpressionVocabulary() {
    }

    /** The root of an expansion: {@code %%user.data.email} → {@code %%user}. */
    public static String expansionRoot(String expansion) {
        int dot = expansion.indexOf('.');
        return dot < 0 ? expansion : expansion.substring(0, dot);
    }

    public static boolean isKnownExpansion(String expansion) {
        return EXPANSION_ROOTS.contains(expansionRoot(expansion));
    }

    /**
     * The value an expansion {@code %%values.<name>...} names, or empty for any other expansion
     * (and for a bare {@code %%values}).
     */
    public static Optional<String> valueName(String expansion) {
        String prefix = "%%values.";
        if (!expansion.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = expansion.substring(prefix.length());
        int dot = rest.indexOf('.');
        String name = dot < 0 ? rest : rest.substring(0, dot);
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    /**
     * What a person probably meant by an unknown word: a known mistake ({@code %oid} →
     * {@code %stringToOid}) or the one known word within two edits of it, ignoring case.
     */
    public static Optional<String> suggestion(String unknown, Collection<String> known) {
        String mistake = KNOWN_MISTAKES.get(unknown);
        if (mistake != null) {
            return Optional.of(mistake);
        }
        String lower = unknown.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = 3;
        for (String candidate : known) {
            int distance = editDistance(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static SequencedSet<String> ordered(String... words) {
        return Collections.unmodifiableSequencedSet(new LinkedHashSet<>(List.of(words)));
    }
}
