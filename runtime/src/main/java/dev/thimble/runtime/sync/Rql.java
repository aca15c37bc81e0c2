package dev.thimble.runtime.sync;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonRegularExpression;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.ObjectId;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The subset of the Realm Query Language a flexible-sync subscription may use in this slice:
 * comparisons ({@code == != < <= > >=}) and {@code BEGINSWITH / ENDSWITH / CONTAINS} (with {@code [c]})
 * of a queryable field against a literal, combined with AND, OR, NOT and parentheses, and
 * TRUEPREDICATE / FALSEPREDICATE. Each query is both a MongoDB filter (for bootstraps) and an
 * in-memory predicate (for deciding whether a changed document is in a client's view).
 */
final class Rql {
    /** A parsed query. */
    sealed interface Query {
        BsonDocument filter();

        boolean test(BsonDocument doc);
    }

    /** Thrown for a query this slice cannot serve; the message goes to the client in a query error. */
    static final class QueryException extends RuntimeException {
        QueryException(String message) {
            super(message);
        }
    }

    record Constant(boolean value) implements Query {
        public BsonDocument filter() {
            return value ? new BsonDocument() : new BsonDocument("_id", new BsonDocument("$exists", BsonBoolean.FALSE));
        }

        public boolean test(BsonDocument doc) {
            return value;
        }
    }

    record And(List<Query> parts) implements Query {
        public BsonDocument filter() {
            BsonArray all = new BsonArray();
            parts.forEach(p -> all.add(p.filter()));
            return new BsonDocument("$and", all);
        }

        public boolean test(BsonDocument doc) {
            return parts.stream().allMatch(p -> p.test(doc));
        }
    }

    record Or(List<Query> parts) implements Query {
        public BsonDocument filter() {
            BsonArray any = new BsonArray();
            parts.forEach(p -> any.add(p.filter()));
            return new BsonDocument("$or", any);
        }

        public boolean test(BsonDocument doc) {
            return parts.stream().anyMatch(p -> p.test(doc));
        }
    }

    record Not(Query inner) implements Query {
        public BsonDocument filter() {
            return new BsonDocument("$nor", new BsonArray(List.of(inner.filter())));
        }

        public boolean test(BsonDocument doc) {
            return !inner.test(doc);
        }
    }

    record Comparison(String field, String op, boolean caseInsensitive, BsonValue value) implements Query {
        public BsonDocument filter() {
            return switch (op) {
                case "==" -> caseInsensitive && value.isString()
                        ? new BsonDocument(field, regex("^" + Pattern.quote(value.asString().getValue()) + "$", true))
                        : new BsonDocument(field, new BsonDocument("$eq", value));
                case "!=" -> new BsonDocument(field, new BsonDocument("$ne", value));
                case "<" -> new BsonDocument(field, new BsonDocument("$lt", value));
                case "<=" -> new BsonDocument(field, new BsonDocument("$lte", value));
                case ">" -> new BsonDocument(field, new BsonDocument("$gt", value));
                case ">=" -> new BsonDocument(field, new BsonDocument("$gte", value));
                case "BEGINSWITH" -> new BsonDocument(field, regex("^" + Pattern.quote(text()), caseInsensitive));
                case "ENDSWITH" -> new BsonDocument(field, regex(Pattern.quote(text()) + "$", caseInsensitive));
                default -> new BsonDocument(field, regex(Pattern.quote(text()), caseInsensitive));
            };
        }

        private String text() {
            return value.asString().getValue();
        }

        private static BsonRegularExpression regex(String pattern, boolean caseInsensitive) {
            return new BsonRegularExpression(pattern, caseInsensitive ? "i" : "");
        }

        public boolean test(BsonDocument doc) {
            BsonValue actual = doc.get(field, BsonNull.VALUE);
            return switch (op) {
                case "==" -> caseInsensitive && actual.isString() && value.isString()
                        ? actual.asString().getValue().equalsIgnoreCase(text()) : compare(actual, value) == 0;
                case "!=" -> compare(actual, value) != 0;
                case "<" -> ordered(actual) && compare(actual, value) < 0;
                case "<=" -> ordered(actual) && compare(actual, value) <= 0;
                case ">" -> ordered(actual) && compare(actual, value) > 0;
                case ">=" -> ordered(actual) && compare(actual, value) >= 0;
                default -> {
                    if (!actual.isString()) {
                        yield false;
                    }
                    String a = caseInsensitive ? actual.asString().getValue().toLowerCase() : actual.asString().getValue();
                    String b = caseInsensitive ? text().toLowerCase() : text();
                    yield switch (op) {
                        case "BEGINSWITH" -> a.startsWith(b);
                        case "ENDSWITH" -> a.endsWith(b);
                        default -> a.contains(b);
                    };
                }
            };
        }

        private boolean ordered(BsonValue actual) {
            return !actual.isNull() && actual.getBsonType().equals(value.getBsonType())
                    || actual.isNumber() && value.isNumber();
        }

        private static int compare(BsonValue a, BsonValue b) {
            if (a.isNumber() && b.isNumber()) {
                return Double.compare(a.asNumber().doubleValue(), b.asNumber().doubleValue());
            }
            if (!a.getBsonType().equals(b.getBsonType())) {
                return a.isNull() || b.isNull() ? (a.isNull() && b.isNull() ? 0 : 1) : 1;
            }
            return switch (a.getBsonType()) {
                case STRING -> a.asString().getValue().compareTo(b.asString().getValue());
                case BOOLEAN -> Boolean.compare(a.asBoolean().getValue(), b.asBoolean().getValue());
                case DATE_TIME -> Long.compare(a.asDateTime().getValue(), b.asDateTime().getValue());
                case OBJECT_ID -> a.asObjectId().getValue().compareTo(b.asObjectId().getValue());
                case NULL -> 0;
                default -> a.equals(b) ? 0 : 1;
            };
        }
    }

    private final String text;
    private final Set<String> queryable;
    private int pos;

    private Rql(String text, Set<String> queryable) {
        this.text = text;
        this.queryable = queryable;
    }

    /**
     * Parses one class's query; fields must be in {@code queryable}.
     *
     * @throws QueryException naming what is not supported or not queryable
     */
    static Query parse(String text, Set<String> queryable) {
        Rql parser = new Rql(text, queryable);
        Query q = parser.or();
        parser.skipSpace();
        if (parser.pos < text.length()) {
            throw new QueryException("Unsupported query syntax at \"" + text.substring(parser.pos)
                    + "\" (this server supports comparisons, BEGINSWITH/ENDSWITH/CONTAINS, AND/OR/NOT; no LIMIT, SORT or DISTINCT yet)");
        }
        return q;
    }

    private Query or() {
        List<Query> parts = new ArrayList<>(List.of(and()));
        while (keyword("OR") || symbol("||")) {
            parts.add(and());
        }
        return parts.size() == 1 ? parts.getFirst() : new Or(parts);
    }

    private Query and() {
        List<Query> parts = new ArrayList<>(List.of(unary()));
        while (keyword("AND") || symbol("&&")) {
            parts.add(unary());
        }
        return parts.size() == 1 ? parts.getFirst() : new And(parts);
    }

    private Query unary() {
        if (keyword("NOT") || symbol("!")) {
            return new Not(unary());
        }
        if (symbol("(")) {
            Query inner = or();
            if (!symbol(")")) {
                throw new QueryException("Missing ')' in query \"" + text + "\"");
            }
            return inner;
        }
        if (keyword("TRUEPREDICATE")) {
            return new Constant(true);
        }
        if (keyword("FALSEPREDICATE")) {
            return new Constant(false);
        }
        String field = identifier();
        if (!queryable.contains(field)) {
            throw new QueryException("Client provided query with bad syntax: unsupported query for table: field \""
                    + field + "\" is not a queryable field (add it to queryable_fields_names in sync/config.json)");
        }
        String op = operator();
        boolean caseInsensitive = symbol("[c]");
        BsonValue value = literal();
        if (op.matches("BEGINSWITH|ENDSWITH|CONTAINS") && !value.isString()) {
            throw new QueryException(op + " needs a string in query \"" + text + "\"");
        }
        return new Comparison(field, op, caseInsensitive, value);
    }

    private String operator() {
        for (String op : List.of("==", "!=", "<=", ">=", "<", ">", "=")) {
            if (symbol(op)) {
                return op.equals("=") ? "==" : op;
            }
        }
        for (String op : List.of("BEGINSWITH", "ENDSWITH", "CONTAINS")) {
            if (keyword(op)) {
                return op;
            }
        }
        throw new QueryException("Expected a comparison operator at \"" + rest() + "\"");
    }

    private BsonValue literal() {
        skipSpace();
        if (pos < text.length() && (text.charAt(pos) == '"' || text.charAt(pos) == '\'')) {
            char quote = text.charAt(pos++);
            StringBuilder out = new StringBuilder();
            while (pos < text.length() && text.charAt(pos) != quote) {
                char c = text.charAt(pos++);
                if (c == '\\' && pos < text.length()) {
                    c = text.charAt(pos++);
                }
                out.append(c);
            }
            pos++;
            return new BsonString(out.toString());
        }
        if (keyword("true")) {
            return BsonBoolean.TRUE;
        }
        if (keyword("false")) {
            return BsonBoolean.FALSE;
        }
        if (keyword("null") || keyword("NULL")) {
            return BsonNull.VALUE;
        }
        if (keyword("oid")) {
            symbol("(");
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != ')') {
                pos++;
            }
            String hex = text.substring(start, pos).trim();
            symbol(")");
            return new BsonObjectId(new ObjectId(hex));
        }
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String number = text.substring(start, pos);
        if (number.isEmpty()) {
            throw new QueryException("Unsupported value at \"" + rest() + "\" (strings, numbers, booleans, null and oid(...) are supported)");
        }
        return number.matches("[+-]?\\d+") ? new BsonInt64(Long.parseLong(number)) : new BsonDouble(Double.parseDouble(number));
    }

    private String identifier() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw new QueryException("Expected a field name at \"" + rest() + "\"");
        }
        if (pos < text.length() && text.charAt(pos) == '.') {
            throw new QueryException("Queries on linked or embedded fields are not supported yet: \"" + rest() + "\"");
        }
        return text.substring(start, pos);
    }

    private boolean keyword(String word) {
        skipSpace();
        if (text.regionMatches(true, pos, word, 0, word.length())
                && (pos + word.length() == text.length() || !Character.isLetterOrDigit(text.charAt(pos + word.length())))) {
            pos += word.length();
            return true;
        }
        return false;
    }

    private boolean symbol(String s) {
        skipSpace();
        if (text.startsWith(s, pos)) {
            pos += s.length();
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private String rest() {
        return text.substring(Math.min(pos, text.length()));
    }
}
