package dev.thimble.runtime.rules;

import dev.thimble.runtime.rules.Decision.Clause;
import dev.thimble.runtime.rules.Decision.FieldRejection;
import org.bson.Document;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One compiled role (STITCH-SPEC §2A/§2B) and its field permissions.
 *
 * <p>Permissions form nested scopes: the role, each entry of {@code fields} (with nested
 * {@code fields}), and {@code additional_fields} for names not listed. In a scope, a {@code read}
 * or {@code write} that is set decides for everything under it, and a scope below cannot narrow
 * or widen it; unset, the entries below decide; a field with no entry and no
 * {@code additional_fields} gets no permission. {@code write} implies {@code read}: a field is
 * readable when it is writable or its read (the nearest one set) is true.
 */
final class Role {
    final String name;
    final int index;
    final CompiledExpression applyWhen;
    final CompiledExpression filterRead;
    final CompiledExpression filterWrite;
    final CompiledExpression insert;
    final CompiledExpression delete;
    final Scope scope;
    /** A literal true top-level write: every field writable, nothing to check per field. */
    final boolean writesEverything;
    /** A literal true top-level read or write: every field readable. */
    final boolean readsEverything;

    Role(String name, int index, CompiledExpression applyWhen, CompiledExpression filterRead, CompiledExpression filterWrite,
         CompiledExpression insert, CompiledExpression delete, Scope scope) {
        this.name = name;
        this.index = index;
        this.applyWhen = applyWhen;
        this.filterRead = filterRead;
        this.filterWrite = filterWrite;
        this.insert = insert;
        this.delete = delete;
        this.scope = scope;
        this.writesEverything = scope.write != null && scope.write.alwaysTrue;
        this.readsEverything = writesEverything || scope.read != null && scope.read.alwaysTrue;
    }

    /** One permission scope: read/write (null when unset), listed fields, and the fallback for the rest. */
    static final class Scope {
        final CompiledExpression read;
        final CompiledExpression write;
        final Map<String, Scope> fields;
        final Scope additional;

        Scope(CompiledExpression read, CompiledExpression write, Map<String, Scope> fields, Scope additional) {
            this.read = read;
            this.write = write;
            this.fields = fields.isEmpty() ? Map.of() : new LinkedHashMap<>(fields);
            this.additional = additional;
        }

        boolean hasChildren() {
            return !fields.isEmpty() || additional != null;
        }

        Scope child(String field) {
            Scope scope = fields.get(field);
            return scope != null ? scope : additional;
        }
    }

    private static Boolean test(CompiledExpression expression, RuleContext doc, Object thisValue, Object prevValue) {
        RuleContext ctx = expression.readsField() ? doc.withField(thisValue, prevValue) : doc;
        return expression.expr.test(ctx, null);
    }

    private static Clause failure(CompiledExpression expression, RuleContext doc, Object thisValue, Object prevValue) {
        return expression.failure(expression.readsField() ? doc.withField(thisValue, prevValue) : doc);
    }

    // ---- read ----------------------------------------------------------------------------------

    /**
     * The readable part of a document, or {@link Values#MISSING} when no field of it is readable.
     * {@code doc} has %%root = %%prevRoot = the document: write-implies-read asks "could this caller
     * write the document as it stands".
     */
    Object readable(RuleContext doc, Document document, List<String> removed) {
        return readable(scope, doc, document, "", null, null, removed);
    }

    private static Object readable(Scope s, RuleContext doc, Object value, String path,
                                   Boolean readCover, Boolean writeCover, List<String> removed) {
        if (writeCover == null && s.write != null) {
            writeCover = test(s.write, doc, value, value);
        }
        if (writeCover == Boolean.TRUE) {
            return value;
        }
        if (readCover == null && s.read != null) {
            readCover = test(s.read, doc, value, value);
        }
        if (readCover == Boolean.TRUE) {
            return value;
        }
        if (readCover != null && writeCover != null || !s.hasChildren()) {
            return drop(value, path, removed);
        }
        if (value instanceof Map<?, ?> map) {
            return readableFields(s, doc, map, path, readCover, writeCover, removed);
        }
        if (value instanceof List<?> list) {
            List<Object> out = null;
            for (int i = 0; i < list.size(); i++) {
                Object element = list.get(i);
                Object kept = element instanceof Map<?, ?> map
                        ? readableFields(s, doc, map, join(path, Integer.toString(i)), readCover, writeCover, removed)
                        : drop(element, join(path, Integer.toString(i)), removed);
                if (kept != element && out == null) {
                    out = new java.util.ArrayList<>(list.subList(0, i));
                }
                if (out != null && kept != Values.MISSING) {
                    out.add(kept);
                }
            }
            return out == null ? list : out;
        }
        return drop(value, path, removed);
    }

    private static Object readableFields(Scope s, RuleContext doc, Map<?, ?> map, String path,
                                         Boolean readCover, Boolean writeCover, List<String> removed) {
        Document out = null;
        int index = 0;
        int kept = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            Scope child = s.child(key);
            Object result = child == null ? drop(value, join(path, key), removed)
                    : readable(child, doc, value, join(path, key), readCover, writeCover, removed);
            if (result != value && out == null) {
                out = new Document();
                int i = 0;
                for (Map.Entry<?, ?> before : map.entrySet()) {
                    if (i++ == index) {
                        break;
                    }
                    out.put(String.valueOf(before.getKey()), before.getValue());
                }
            }
            if (result != Values.MISSING) {
                kept++;
                if (out != null) {
                    out.put(key, result);
                }
            }
            index++;
        }
        if (kept == 0 && !map.isEmpty()) {
            return Values.MISSING;
        }
        return out == null ? map : out;
    }

    private static Object drop(Object value, String path, List<String> removed) {
        removed.add(path);
        return Values.MISSING;
    }

    // ---- write ---------------------------------------------------------------------------------

    /**
     * Adds a rejection for every field the write changes (adds, alters or removes) without write
     * permission. {@code doc} has %%root = after and %%prevRoot = before; either may be missing.
     */
    void checkWrite(RuleContext doc, Object before, Object after, List<FieldRejection> rejected) {
        Scope s = scope;
        if (s.write != null) {
            Clause failure = failure(s.write, doc, after, before);
            if (failure != null) {
                rejectChanged(before, after, "", failure, rejected);
            }
            return;
        }
        fields(s, doc, before, after, "", rejected);
    }

    private static void fields(Scope s, RuleContext doc, Object before, Object after, String path, List<FieldRejection> rejected) {
        Set<String> keys = new LinkedHashSet<>();
        if (before instanceof Map<?, ?> b) {
            for (Object key : b.keySet()) {
                keys.add(String.valueOf(key));
            }
        }
        if (after instanceof Map<?, ?> a) {
            for (Object key : a.keySet()) {
                keys.add(String.valueOf(key));
            }
        }
        for (String key : keys) {
            write(s.child(key), doc, Values.step(before, key), Values.step(after, key), join(path, key), rejected);
        }
    }

    private static void write(Scope s, RuleContext doc, Object before, Object after, String path, List<FieldRejection> rejected) {
        if (Values.equal(before, after)) {
            return;
        }
        if (s == null) {
            rejected.add(new FieldRejection(path, null));
            return;
        }
        if (s.write != null) {
            Clause failure = failure(s.write, doc, after, before);
            if (failure != null) {
                rejected.add(new FieldRejection(path, failure));
            }
            return;
        }
        if (s.hasChildren()) {
            if (isMapOrMissing(before) && isMapOrMissing(after)) {
                fields(s, doc, before, after, path, rejected);
                return;
            }
            if (isListOrMissing(before) && isListOrMissing(after)) {
                int size = Math.max(sizeOf(before), sizeOf(after));
                for (int i = 0; i < size; i++) {
                    String index = Integer.toString(i);
                    Object b = Values.step(before, index);
                    Object a = Values.step(after, index);
                    if (isMapOrMissing(b) && isMapOrMissing(a)) {
                        if (!Values.equal(b, a)) {
                            fields(s, doc, b, a, join(path, index), rejected);
                        }
                    } else if (!Values.equal(b, a)) {
                        rejected.add(new FieldRejection(join(path, index), null));
                    }
                }
                return;
            }
        }
        rejected.add(new FieldRejection(path, null));
    }

    /** A document-level write that is false rejects every changed top-level field, with its clause. */
    private static void rejectChanged(Object before, Object after, String path, Clause failure, List<FieldRejection> rejected) {
        Set<String> keys = new LinkedHashSet<>();
        if (before instanceof Map<?, ?> b) {
            for (Object key : b.keySet()) {
                keys.add(String.valueOf(key));
            }
        }
        if (after instanceof Map<?, ?> a) {
            for (Object key : a.keySet()) {
                keys.add(String.valueOf(key));
            }
        }
        for (String key : keys) {
            if (!Values.equal(Values.step(before, key), Values.step(after, key))) {
                rejected.add(new FieldRejection(join(path, key), failure));
            }
        }
    }

    private static boolean isMapOrMissing(Object value) {
        return value instanceof Map<?, ?> || value == Values.MISSING;
    }

    private static boolean isListOrMissing(Object value) {
        return value instanceof List<?> || value == Values.MISSING;
    }

    private static int sizeOf(Object value) {
        return value instanceof List<?> list ? list.size() : 0;
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
