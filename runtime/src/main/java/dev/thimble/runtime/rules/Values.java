package dev.thimble.runtime.rules;

import org.bson.BsonRegularExpression;
import org.bson.BsonTimestamp;
import org.bson.BsonBinarySubType;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The value model of rule evaluation: the Java types a driver {@link Document} holds, plus
 * {@link #MISSING} for a path that leads nowhere (distinct from a stored {@code null}). Equality and
 * ordering follow MongoDB query semantics closely enough for rules: numbers compare by value across
 * int/long/double/decimal, documents compare field by field in order, arrays element by element.
 */
final class Values {
    /** The value of a path that does not exist; never leaves the rules package (see {@link #toExternal}). */
    static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "(missing)";
        }
    };

    private static final double TWO_POW_53 = 9007199254740992d;

    private Values() {
    }

    static boolean isMissing(Object value) {
        return value == MISSING;
    }

    /** One step down a path: a document field, an array index, or the field of every document in an array. */
    static Object step(Object base, String segment) {
        if (base instanceof Map<?, ?> map) {
            Object value = map.get(segment);
            return value != null || map.containsKey(segment) ? value : MISSING;
        }
        if (base instanceof List<?> list) {
            int index = arrayIndex(segment);
            if (index >= 0) {
                return index < list.size() ? list.get(index) : MISSING;
            }
            List<Object> collected = new ArrayList<>();
            for (Object element : list) {
                if (element instanceof Map<?, ?>) {
                    Object value = step(element, segment);
                    if (value != MISSING) {
                        collected.add(value);
                    }
                }
            }
            return collected.isEmpty() ? MISSING : collected;
        }
        return MISSING;
    }

    static Object path(Object base, String[] segments) {
        Object value = base;
        for (String segment : segments) {
            value = step(value, segment);
            if (value == MISSING) {
                return MISSING;
            }
        }
        return value;
    }

    static int arrayIndex(String segment) {
        int length = segment.length();
        if (length == 0 || length > 9) {
            return -1;
        }
        int index = 0;
        for (int i = 0; i < length; i++) {
            char c = segment.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            index = index * 10 + (c - '0');
        }
        return index;
    }

    /**
     * The {@code {lhs: value}} test: equality, with array membership when exactly one side is an array
     * (the docs' {@code {"email": "%%user.custom_data.manages"}} compares a field with an array), a
     * regular expression on the right matching strings, and a missing left side equal only to null.
     * A missing right side (an expansion that resolved to nothing) never matches.
     */
    static boolean matches(Object lhs, Object rhs) {
        if (rhs == MISSING) {
            return false;
        }
        if (lhs == MISSING) {
            return rhs == null;
        }
        if (lhs instanceof String s && rhs instanceof String t) {
            return s.equals(t);
        }
        if (isRegex(rhs)) {
            return regexMatches(lhs, rhs);
        }
        if (equal(lhs, rhs)) {
            return true;
        }
        if (lhs instanceof List<?> elements) {
            for (Object element : elements) {
                if (equal(element, rhs)) {
                    return true;
                }
            }
            return false;
        }
        if (rhs instanceof List<?> elements) {
            for (Object element : elements) {
                if (equal(lhs, element)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code $in}: lhs (or any of its elements, when an array) equals a member of {@code candidates}. */
    static boolean in(Object lhs, Object candidates) {
        if (candidates == MISSING) {
            return false;
        }
        List<?> list = candidates instanceof List<?> l ? l : java.util.Collections.singletonList(candidates);
        for (Object candidate : list) {
            if (isRegex(candidate) ? regexMatches(lhs, candidate) : matchesElementwise(lhs, candidate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesElementwise(Object lhs, Object candidate) {
        if (lhs == MISSING) {
            return candidate == null;
        }
        if (equal(lhs, candidate)) {
            return true;
        }
        if (lhs instanceof List<?> elements) {
            for (Object element : elements) {
                if (equal(element, candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Ordered comparison for {@code $gt} and friends: any element of an array lhs may satisfy it. */
    static boolean ordered(Object lhs, Object rhs, int sign, boolean orEqual) {
        if (lhs == MISSING || rhs == MISSING) {
            return false;
        }
        Integer c = compare(lhs, rhs);
        if (c != null && (c * sign > 0 || (orEqual && c == 0))) {
            return true;
        }
        if (lhs instanceof List<?> elements) {
            for (Object element : elements) {
                Integer e = compare(element, rhs);
                if (e != null && (e * sign > 0 || (orEqual && e == 0))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Strict value equality (no array membership). */
    static boolean equal(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null || a == MISSING || b == MISSING) {
            return false;
        }
        if (a instanceof String s) {
            return s.equals(b);
        }
        if (a instanceof Number x && b instanceof Number y) {
            return compareNumbers(x, y) == 0;
        }
        if (a instanceof Map<?, ?> m && b instanceof Map<?, ?> n) {
            if (m.size() != n.size()) {
                return false;
            }
            Iterator<? extends Map.Entry<?, ?>> i = m.entrySet().iterator();
            Iterator<? extends Map.Entry<?, ?>> j = n.entrySet().iterator();
            while (i.hasNext()) {
                Map.Entry<?, ?> e = i.next();
                Map.Entry<?, ?> f = j.next();
                if (!e.getKey().equals(f.getKey()) || !equal(e.getValue(), f.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> l && b instanceof List<?> k) {
            if (l.size() != k.size()) {
                return false;
            }
            for (int i = 0; i < l.size(); i++) {
                if (!equal(l.get(i), k.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (isUuidLike(a) && isUuidLike(b)) {
            return uuidOf(a).equals(uuidOf(b));
        }
        return a.equals(b);
    }

    /** Compares two values of one comparable kind; null when MongoDB would not compare them. */
    static Integer compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            int c = compareNumbers(x, y);
            return c == Integer.MIN_VALUE ? null : c;
        }
        if (a instanceof String s && b instanceof String t) {
            return Integer.signum(s.compareTo(t));
        }
        if (a instanceof Date d && b instanceof Date e) {
            return Integer.signum(d.compareTo(e));
        }
        if (a instanceof ObjectId o && b instanceof ObjectId p) {
            return Integer.signum(o.compareTo(p));
        }
        if (a instanceof Boolean o && b instanceof Boolean p) {
            return Integer.signum(o.compareTo(p));
        }
        if (a instanceof BsonTimestamp o && b instanceof BsonTimestamp p) {
            return Integer.signum(o.compareTo(p));
        }
        return null;
    }

    /** Numeric comparison by value; {@link Integer#MIN_VALUE} when either side is NaN. */
    static int compareNumbers(Number x, Number y) {
        if (isIntegral(x) && isIntegral(y)) {
            return Long.compare(x.longValue(), y.longValue());
        }
        if (x instanceof Decimal128 || y instanceof Decimal128 || x instanceof BigDecimal || y instanceof BigDecimal) {
            BigDecimal p = bigDecimal(x);
            BigDecimal q = bigDecimal(y);
            return p == null || q == null ? Integer.MIN_VALUE : Integer.signum(p.compareTo(q));
        }
        double p = x.doubleValue();
        double q = y.doubleValue();
        if (Double.isNaN(p) || Double.isNaN(q)) {
            return Integer.MIN_VALUE;
        }
        if (isIntegral(x) && Math.abs(x.longValue()) >= TWO_POW_53 && Double.isFinite(q)
                || isIntegral(y) && Math.abs(y.longValue()) >= TWO_POW_53 && Double.isFinite(p)) {
            return Integer.signum(bigDecimal(x).compareTo(bigDecimal(y)));
        }
        return Double.compare(p == 0d ? 0d : p, q == 0d ? 0d : q);
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
    }

    private static BigDecimal bigDecimal(Number n) {
        if (n instanceof Decimal128 d) {
            return d.isNaN() || d.isInfinite() ? null : d.bigDecimalValue();
        }
        if (n instanceof BigDecimal b) {
            return b;
        }
        if (isIntegral(n)) {
            return BigDecimal.valueOf(n.longValue());
        }
        double d = n.doubleValue();
        return Double.isFinite(d) ? new BigDecimal(d) : null;
    }

    static boolean isRegex(Object value) {
        return value instanceof BsonRegularExpression || value instanceof Pattern;
    }

    private static boolean regexMatches(Object lhs, Object regex) {
        Pattern pattern = regex instanceof Pattern p ? p : toPattern((BsonRegularExpression) regex);
        if (lhs instanceof String s) {
            return pattern.matcher(s).find();
        }
        if (lhs instanceof List<?> elements) {
            for (Object element : elements) {
                if (element instanceof String s && pattern.matcher(s).find()) {
                    return true;
                }
            }
        }
        return false;
    }

    static Pattern toPattern(BsonRegularExpression regex) {
        int flags = 0;
        for (char c : regex.getOptions().toCharArray()) {
            switch (c) {
                case 'i' -> flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
                case 'm' -> flags |= Pattern.MULTILINE;
                case 's' -> flags |= Pattern.DOTALL;
                case 'x' -> flags |= Pattern.COMMENTS;
                default -> { }
            }
        }
        return Pattern.compile(regex.getPattern(), flags);
    }

    static boolean isUuidLike(Object value) {
        return value instanceof UUID
                || value instanceof Binary b && b.getType() == BsonBinarySubType.UUID_STANDARD.getValue() && b.length() == 16;
    }

    static UUID uuidOf(Object value) {
        if (value instanceof UUID u) {
            return u;
        }
        ByteBuffer bytes = ByteBuffer.wrap(((Binary) value).getData());
        return new UUID(bytes.getLong(), bytes.getLong());
    }

    static Binary uuidBinary(UUID uuid) {
        ByteBuffer bytes = ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return new Binary(BsonBinarySubType.UUID_STANDARD, bytes.array());
    }

    static boolean truthy(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0d;
        }
        return value != null && value != MISSING;
    }

    /** A copy safe to hand outside: missing document fields dropped, missing array elements and a missing top level as null. */
    static Object toExternal(Object value) {
        if (value == MISSING) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            Document copy = new Document();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() != MISSING) {
                    copy.put(String.valueOf(e.getKey()), toExternal(e.getValue()));
                }
            }
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(toExternal(element));
            }
            return copy;
        }
        return value;
    }

    static boolean containsMissing(Object value) {
        if (value == MISSING) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            for (Object v : map.values()) {
                if (containsMissing(v)) {
                    return true;
                }
            }
        } else if (value instanceof List<?> list) {
            for (Object v : list) {
                if (containsMissing(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Short JSON-ish text of a value for explanations (strings quoted, long values cut). */
    static String show(Object value) {
        String text;
        if (value == MISSING) {
            return "(missing)";
        } else if (value == null) {
            return "null";
        } else if (value instanceof String s) {
            text = '"' + s + '"';
        } else if (value instanceof Map<?, ?> map) {
            text = new Document(castMap(toExternal(map))).toJson();
        } else if (value instanceof ObjectId o) {
            text = "ObjectId(\"" + o.toHexString() + "\")";
        } else if (value instanceof List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(show(list.get(i)));
            }
            text = b.append(']').toString();
        } else {
            text = String.valueOf(value);
        }
        return text.length() > 120 ? text.substring(0, 117) + "..." : text;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object map) {
        return (Map<String, Object>) map;
    }

    /** A short name of a value's BSON type for messages. */
    static String typeName(Object value) {
        if (value == MISSING) {
            return "missing";
        }
        if (value == null) {
            return "null";
        }
        return switch (value) {
            case String s -> "string";
            case Integer i -> "int";
            case Long l -> "long";
            case Double d -> "double";
            case Float f -> "double";
            case Decimal128 d -> "decimal";
            case Boolean b -> "bool";
            case ObjectId o -> "objectId";
            case Date d -> "date";
            case Map<?, ?> m -> "object";
            case List<?> l -> "array";
            case Binary b -> "binData";
            case UUID u -> "binData";
            case byte[] b -> "binData";
            case BsonTimestamp t -> "timestamp";
            case BsonRegularExpression r -> "regex";
            case Pattern p -> "regex";
            default -> value.getClass().getSimpleName();
        };
    }
}
