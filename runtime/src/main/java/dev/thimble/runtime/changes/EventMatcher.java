package dev.thimble.runtime.changes;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonRegularExpression;
import org.bson.BsonValue;
import org.bson.types.Decimal128;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code $match} query evaluated in Java over one document, e.g. a change event: what a watch
 * stream's {@code filter} and a trigger's {@code match} use. The subset of MongoDB's query language
 * supported: dotted paths (through arrays and array indexes), implicit equality (including "array
 * contains"), a regex as the value, {@code $eq $ne $gt $gte $lt $lte $in $nin $exists $not $regex $size $all $elemMatch}
 * and {@code $and $or $nor}. Numbers compare by value across BSON number types; comparisons between
 * other different types are false, as in MongoDB. Thread-safe.
 */
public final class EventMatcher {
    private static final Set<String> FIELD_OPERATORS = Set.of("$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin",
            "$exists", "$not", "$regex", "$options", "$size", "$all", "$elemMatch");

    private final BsonDocument query;

    private EventMatcher(BsonDocument query) {
        this.query = query;
    }

    /**
     * @throws IllegalArgumentException naming the operator or the malformed part, e.g. an unknown
     *                                  {@code $where} or an {@code $in} without an array
     */
    public static EventMatcher compile(BsonDocument query) {
        BsonDocument copy = query == null ? new BsonDocument() : query.clone();
        validateQuery(copy);
        return new EventMatcher(copy);
    }

    /** True when the document satisfies the query (an empty query matches everything). */
    public boolean matches(BsonDocument document) {
        return matchesQuery(query, document);
    }

    /** Equality as {@code $eq} sees it: numbers by value, documents and arrays element by element. */
    public static boolean valuesEqual(BsonValue a, BsonValue b) {
        if (a.isNumber() && b.isNumber() || isDecimal(a) && b.isNumber() || a.isNumber() && isDecimal(b)
                || isDecimal(a) && isDecimal(b)) {
            return decimal(a).compareTo(decimal(b)) == 0;
        }
        if (a.isArray() && b.isArray()) {
            List<BsonValue> x = a.asArray().getValues();
            List<BsonValue> y = b.asArray().getValues();
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!valuesEqual(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isDocument() && b.isDocument()) {
            List<Map.Entry<String, BsonValue>> x = new ArrayList<>(a.asDocument().entrySet());
            List<Map.Entry<String, BsonValue>> y = new ArrayList<>(b.asDocument().entrySet());
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!x.get(i).getKey().equals(y.get(i).getKey()) || !valuesEqual(x.get(i).getValue(), y.get(i).getValue())) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    // ---- validation ------------------------------------------------------------------------------

    private static void validateQuery(BsonDocument query) {
        for (Map.Entry<String, BsonValue> clause : query.entrySet()) {
            String key = clause.getKey();
            BsonValue value = clause.getValue();
            switch (key) {
                case "$and", "$or", "$nor" -> {
                    if (!value.isArray() || value.asArray().isEmpty()) {
                        throw new IllegalArgumentException(key + " needs a non-empty array of queries");
                    }
                    for (BsonValue sub : value.asArray()) {
                        if (!sub.isDocument()) {
                            throw new IllegalArgumentException(key + " needs an array of query documents");
                        }
                        validateQuery(sub.asDocument());
                    }
                }
                default -> {
                    if (key.startsWith("$")) {
                        throw new IllegalArgumentException("unknown top-level operator " + key
                                + " (supported: $and, $or, $nor and field conditions)");
                    }
                    if (isOperatorDocument(value)) {
                        validateOperators(key, value.asDocument());
                    }
                }
            }
        }
    }

    private static void validateOperators(String path, BsonDocument operators) {
        for (Map.Entry<String, BsonValue> op : operators.entrySet()) {
            String name = op.getKey();
            BsonValue arg = op.getValue();
            if (!FIELD_OPERATORS.contains(name)) {
                throw new IllegalArgumentException("unknown operator " + name + " on \"" + path + "\" (supported: "
                        + String.join(" ", FIELD_OPERATORS.stream().sorted().toList()) + ")");
            }
            switch (name) {
                case "$in", "$nin", "$all" -> {
                    if (!arg.isArray()) {
                        throw new IllegalArgumentException(name + " on \"" + path + "\" needs an array");
                    }
                }
                case "$size" -> {
                    if (!arg.isNumber()) {
                        throw new IllegalArgumentException("$size on \"" + path + "\" needs a number");
                    }
                }
                case "$not" -> {
                    if (arg.isRegularExpression()) {
                        break;
                    }
                    if (!isOperatorDocument(arg)) {
                        throw new IllegalArgumentException("$not on \"" + path + "\" needs an operator document or a regex");
                    }
                    validateOperators(path, arg.asDocument());
                }
                case "$elemMatch" -> {
                    if (!arg.isDocument()) {
                        throw new IllegalArgumentException("$elemMatch on \"" + path + "\" needs a document");
                    }
                    if (isOperatorDocument(arg)) {
                        validateOperators(path, arg.asDocument());
                    } else {
                        validateQuery(arg.asDocument());
                    }
                }
                case "$regex" -> {
                    if (!arg.isString() && !arg.isRegularExpression()) {
                        throw new IllegalArgumentException("$regex on \"" + path + "\" needs a string or a regex");
                    }
                    pattern(operators);
                }
                case "$options" -> {
                    if (!operators.containsKey("$regex")) {
                        throw new IllegalArgumentException("$options on \"" + path + "\" needs $regex");
                    }
                }
                default -> {
                }
            }
        }
    }

    private static boolean isOperatorDocument(BsonValue value) {
        return value.isDocument() && !value.asDocument().isEmpty() && value.asDocument().getFirstKey().startsWith("$");
    }

    // ---- evaluation ------------------------------------------------------------------------------

    private static boolean matchesQuery(BsonDocument query, BsonDocument document) {
        for (Map.Entry<String, BsonValue> clause : query.entrySet()) {
            String key = clause.getKey();
            BsonValue value = clause.getValue();
            boolean ok = switch (key) {
                case "$and" -> value.asArray().stream().allMatch(q -> matchesQuery(q.asDocument(), document));
                case "$or" -> value.asArray().stream().anyMatch(q -> matchesQuery(q.asDocument(), document));
                case "$nor" -> value.asArray().stream().noneMatch(q -> matchesQuery(q.asDocument(), document));
                default -> matchesField(key, value, document);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesField(String path, BsonValue condition, BsonDocument document) {
        List<BsonValue> values = new ArrayList<>();
        resolve(document, path.split("\\.", -1), 0, values);
        if (isOperatorDocument(condition)) {
            BsonDocument operators = condition.asDocument();
            for (Map.Entry<String, BsonValue> op : operators.entrySet()) {
                if (!operator(op.getKey(), op.getValue(), operators, values)) {
                    return false;
                }
            }
            return true;
        }
        if (condition.isRegularExpression()) {
            return regexAny(values, pattern(condition.asRegularExpression()));
        }
        return equalsAny(values, condition);
    }

    private static boolean operator(String name, BsonValue arg, BsonDocument operators, List<BsonValue> values) {
        return switch (name) {
            case "$eq" -> equalsAny(values, arg);
            case "$ne" -> !equalsAny(values, arg);
            case "$gt" -> compareAny(values, arg, c -> c > 0);
            case "$gte" -> compareAny(values, arg, c -> c >= 0);
            case "$lt" -> compareAny(values, arg, c -> c < 0);
            case "$lte" -> compareAny(values, arg, c -> c <= 0);
            case "$in" -> arg.asArray().stream().anyMatch(candidate -> candidate.isRegularExpression()
                    ? regexAny(values, pattern(candidate.asRegularExpression())) : equalsAny(values, candidate));
            case "$nin" -> arg.asArray().stream().noneMatch(candidate -> candidate.isRegularExpression()
                    ? regexAny(values, pattern(candidate.asRegularExpression())) : equalsAny(values, candidate));
            case "$exists" -> values.stream().anyMatch(v -> v != MISSING) == truthy(arg);
            case "$not" -> arg.isRegularExpression() ? !regexAny(values, pattern(arg.asRegularExpression()))
                    : !arg.asDocument().entrySet().stream().allMatch(op -> operator(op.getKey(), op.getValue(), arg.asDocument(), values));
            case "$regex" -> regexAny(values, pattern(operators));
            case "$options" -> true; // read with $regex
            case "$size" -> values.stream().anyMatch(v -> v.isArray() && v.asArray().size() == decimal(arg).intValue());
            case "$all" -> arg.asArray().stream().allMatch(candidate -> equalsAny(values, candidate));
            case "$elemMatch" -> values.stream().anyMatch(v -> v.isArray() && v.asArray().stream().anyMatch(element ->
                    isOperatorDocument(arg)
                            ? arg.asDocument().entrySet().stream().allMatch(op ->
                            operator(op.getKey(), op.getValue(), arg.asDocument(), List.of(element)))
                            : element.isDocument() && matchesQuery(arg.asDocument(), element.asDocument())));
            default -> throw new IllegalStateException("unvalidated operator " + name);
        };
    }

    /** A path segment that does not exist: distinct from an explicit null. */
    private static final BsonValue MISSING = new BsonDocument("$missing", BsonNull.VALUE);

    /**
     * The values a dotted path reaches. An array on the way is looked into element by element (and a
     * numeric segment also indexes it); the final values are kept as they are, arrays included.
     */
    private static void resolve(BsonValue current, String[] segments, int index, List<BsonValue> out) {
        if (index == segments.length) {
            out.add(current);
            return;
        }
        String segment = segments[index];
        if (current.isDocument()) {
            BsonValue next = current.asDocument().get(segment);
            if (next == null) {
                out.add(MISSING);
            } else {
                resolve(next, segments, index + 1, out);
            }
        } else if (current.isArray()) {
            BsonArray array = current.asArray();
            boolean numeric = !segment.isEmpty() && segment.chars().allMatch(Character::isDigit);
            int before = out.size();
            if (numeric) {
                int position = Integer.parseInt(segment);
                if (position < array.size()) {
                    resolve(array.get(position), segments, index + 1, out);
                }
            }
            for (BsonValue element : array) {
                if (element.isDocument()) {
                    resolve(element, segments, index, out);
                }
            }
            if (out.size() == before) {
                out.add(MISSING);
            }
        } else {
            out.add(MISSING);
        }
    }

    private static boolean equalsAny(List<BsonValue> values, BsonValue expected) {
        for (BsonValue value : values) {
            if (value == MISSING) {
                if (expected.isNull()) {
                    return true;
                }
                continue;
            }
            if (valuesEqual(value, expected)) {
                return true;
            }
            if (value.isArray() && value.asArray().stream().anyMatch(element -> valuesEqual(element, expected))) {
                return true;
            }
        }
        return false;
    }

    private interface Comparison {
        boolean holds(int comparison);
    }

    private static boolean compareAny(List<BsonValue> values, BsonValue bound, Comparison comparison) {
        for (BsonValue value : values) {
            if (value == MISSING) {
                continue;
            }
            List<BsonValue> candidates = value.isArray() && !bound.isArray() ? value.asArray().getValues() : List.of(value);
            for (BsonValue candidate : candidates) {
                Integer c = compare(candidate, bound);
                if (c != null && comparison.holds(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Order of two values of the same kind; null when MongoDB would not compare them (different kinds). */
    private static Integer compare(BsonValue a, BsonValue b) {
        if ((a.isNumber() || isDecimal(a)) && (b.isNumber() || isDecimal(b))) {
            return decimal(a).compareTo(decimal(b));
        }
        if (a.isString() && b.isString()) {
            return Integer.signum(a.asString().getValue().compareTo(b.asString().getValue()));
        }
        if (a.isDateTime() && b.isDateTime()) {
            return Long.compare(a.asDateTime().getValue(), b.asDateTime().getValue());
        }
        if (a.isObjectId() && b.isObjectId()) {
            return a.asObjectId().getValue().compareTo(b.asObjectId().getValue());
        }
        if (a.isTimestamp() && b.isTimestamp()) {
            return a.asTimestamp().compareTo(b.asTimestamp());
        }
        if (a.isBoolean() && b.isBoolean()) {
            return Boolean.compare(a.asBoolean().getValue(), b.asBoolean().getValue());
        }
        return null;
    }

    private static boolean regexAny(List<BsonValue> values, Pattern pattern) {
        for (BsonValue value : values) {
            if (value == MISSING) {
                continue;
            }
            List<BsonValue> candidates = value.isArray() ? value.asArray().getValues() : List.of(value);
            for (BsonValue candidate : candidates) {
                if (candidate.isString() && pattern.matcher(candidate.asString().getValue()).find()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Pattern pattern(BsonDocument operators) {
        BsonValue regex = operators.get("$regex");
        String options = operators.containsKey("$options") ? operators.get("$options").asString().getValue() : "";
        if (regex.isRegularExpression()) {
            BsonRegularExpression r = regex.asRegularExpression();
            return pattern(new BsonRegularExpression(r.getPattern(), options.isEmpty() ? r.getOptions() : options));
        }
        return pattern(new BsonRegularExpression(regex.asString().getValue(), options));
    }

    private static Pattern pattern(BsonRegularExpression regex) {
        int flags = 0;
        for (char option : regex.getOptions().toCharArray()) {
            flags |= switch (option) {
                case 'i' -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                case 'm' -> Pattern.MULTILINE;
                case 's' -> Pattern.DOTALL;
                case 'x' -> Pattern.COMMENTS;
                default -> throw new IllegalArgumentException("unknown regex option '" + option + "'");
            };
        }
        try {
            return Pattern.compile(regex.getPattern(), flags);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regex /" + regex.getPattern() + "/: " + e.getDescription());
        }
    }

    private static boolean truthy(BsonValue value) {
        if (value.isBoolean()) {
            return value.asBoolean().getValue();
        }
        if (value.isNumber()) {
            return decimal(value).signum() != 0;
        }
        return !value.isNull();
    }

    private static boolean isDecimal(BsonValue value) {
        return value.isDecimal128();
    }

    private static BigDecimal decimal(BsonValue value) {
        if (value.isInt32()) {
            return BigDecimal.valueOf(value.asInt32().getValue());
        }
        if (value.isInt64()) {
            return BigDecimal.valueOf(value.asInt64().getValue());
        }
        if (value.isDouble()) {
            double d = value.asDouble().getValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : (d > 0 ? BigDecimal.valueOf(Double.MAX_VALUE) : BigDecimal.valueOf(-Double.MAX_VALUE));
        }
        Decimal128 decimal = value.asDecimal128().getValue();
        return decimal.isNaN() || decimal.isInfinite() ? BigDecimal.ZERO : decimal.bigDecimalValue();
    }
}
