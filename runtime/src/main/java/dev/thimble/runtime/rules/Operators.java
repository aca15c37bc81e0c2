package dev.thimble.runtime.rules;

import java.util.Map;
import java.util.Set;

/**
 * The operator and expansion names the expression compiler understands (STITCH-SPEC §2C), in one
 * place. The validator keeps its own list in {@code expressions.ExpressionVocabulary}; the two are to be merged.
 */
final class Operators {
    private Operators() {
    }

    /** Comparison operators, used as {@code {lhs: {"$op": value}}}; both spellings of in/nin/exists. */
    enum Comparison {
        EQ("=", "≠"), NE("≠", "="), GT(">", "≤"), GTE("≥", "<"), LT("<", "≥"), LTE("≤", ">"),
        IN("in", "not in"), NIN("not in", "in"), EXISTS("exists", "exists");

        final String symbol;
        final String negated;

        Comparison(String symbol, String negated) {
            this.symbol = symbol;
            this.negated = negated;
        }
    }

    static final Map<String, Comparison> COMPARISONS = Map.ofEntries(
            Map.entry("$eq", Comparison.EQ), Map.entry("$ne", Comparison.NE),
            Map.entry("$gt", Comparison.GT), Map.entry("$gte", Comparison.GTE),
            Map.entry("$lt", Comparison.LT), Map.entry("$lte", Comparison.LTE),
            Map.entry("$in", Comparison.IN), Map.entry("$nin", Comparison.NIN), Map.entry("$exists", Comparison.EXISTS),
            Map.entry("%in", Comparison.IN), Map.entry("%nin", Comparison.NIN), Map.entry("%exists", Comparison.EXISTS));

    static final String AND = "%and";
    static final String OR = "%or";
    static final String NOT = "%not";
    static final String NOR = "%nor";
    static final Set<String> LOGICAL = Set.of(AND, OR, NOT, NOR);

    static final String FUNCTION = "%function";
    static final String STRING_TO_OID = "%stringToOid";
    static final String OID_TO_STRING = "%oidToString";
    static final String STRING_TO_UUID = "%stringToUuid";
    static final String UUID_TO_STRING = "%uuidToString";
    /** Operators that produce a value rather than test one. */
    static final Set<String> VALUE_OPERATORS = Set.of(FUNCTION, STRING_TO_OID, OID_TO_STRING, STRING_TO_UUID, UUID_TO_STRING);

    /** The roots of {@code %%} expansions, by their spelling. */
    enum Root {
        USER("user"), ROOT("root"), PREV_ROOT("prevRoot"), THIS("this"), PREV("prev"), ARGS("args"),
        VALUES("values"), ENVIRONMENT("environment"), REQUEST("request"), PARTITION("partition");

        final String spelling;

        Root(String spelling) {
            this.spelling = spelling;
        }

        static Root of(String spelling) {
            for (Root root : values()) {
                if (root.spelling.equals(spelling)) {
                    return root;
                }
            }
            return null;
        }
    }

    static final String TRUE = "%%true";
    static final String FALSE = "%%false";

    static boolean isOperatorKey(String key) {
        return key.startsWith("$") || key.startsWith("%") && !key.startsWith("%%");
    }
}
