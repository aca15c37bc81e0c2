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
    /** No write anywhere in the role can ever hold (literal false, or none set): every update is refused by name. */
    final boolean writesNothing;

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
        this.writesNothing = writesNothing(scope);
    }

    private static boolean writesNothing(Scope s) {
        if (s.write != null) {
            return s.write.alwaysFalse;
        }
        for (Scope child : s.fields.values()) {
            if (!writesNothing(child)) {
                return false;
            }
        }
        return s.additional == null || writesNothing(s.additional);
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

    // ---- by name ---------------------------------------------------------------------------------
    //
    // The checks below decide from a field's NAME and the role's permissions, never from whether the
    // field is present in the document or what it holds, so the answer says nothing about a field the
    // caller cannot read. Paths may carry array indexes and positional operators ($, $[], $[id]):
    // permissions apply to array elements as to the array, so those segments are skipped. {@code doc}
    // has %%root = %%prevRoot = the stored document ("could this caller read/write this field of the
    // document as it stands").

    /** True when the role lets the caller read {@code path} and everything under it. */
    boolean readableByName(RuleContext doc, Object document, String path) {
        if (readsEverything) {
            return true;
        }
        Scope s = scope;
        Object value = document;
        Boolean readCover = null;
        Boolean writeCover = null;
        String[] segments = path.isEmpty() ? new String[0] : path.split("\\.", -1);
        int i = 0;
        while (true) {
            if (writeCover == null && s.write != null) {
                writeCover = test(s.write, doc, value, value);
            }
            if (writeCover == Boolean.TRUE) {
                return true;
            }
            if (readCover == null && s.read != null) {
                readCover = test(s.read, doc, value, value);
            }
            if (readCover == Boolean.TRUE) {
                return true;
            }
            if (readCover != null && writeCover != null || !s.hasChildren()) {
                return false;
            }
            i = skipPositions(s, segments, i);
            if (i == segments.length) {
                return hidesNothing(s, doc, value, readCover, writeCover);
            }
            Scope child = s.child(segments[i]);
            if (child == null) {
                return false;
            }
            value = stepByName(value, segments[i]);
            s = child;
            i++;
        }
    }

    /** True when the role lets the caller read every field the document could have (nothing can be hidden from them). */
    boolean hidesNothing(RuleContext doc, Object document) {
        return readsEverything || hidesNothing(scope, doc, document, null, null);
    }

    private static boolean hidesNothing(Scope s, RuleContext doc, Object value, Boolean readCover, Boolean writeCover) {
        if (writeCover == null && s.write != null) {
            writeCover = test(s.write, doc, value, value);
        }
        if (writeCover == Boolean.TRUE) {
            return true;
        }
        if (readCover == null && s.read != null) {
            readCover = test(s.read, doc, value, value);
        }
        if (readCover == Boolean.TRUE) {
            return true;
        }
        if (readCover != null && writeCover != null || !s.hasChildren() || s.additional == null) {
            return false;
        }
        for (Map.Entry<String, Scope> field : s.fields.entrySet()) {
            if (!hidesNothing(field.getValue(), doc, stepByName(value, field.getKey()), readCover, writeCover)) {
                return false;
            }
        }
        return hidesNothing(s.additional, doc, Values.MISSING, readCover, writeCover);
    }

    /**
     * Null when the role lets the caller write {@code path}, else the rejection. The nearest write set
     * on the path decides, whether or not the write changes the field. With {@code constantsOnly} (the
     * check before any after-image exists) only a literal write decides, an expression is left to the
     * check of the after-image (it may read {@code %%this}, the new value), and a path that ends above
     * fields with permissions of their own (setting or unsetting a whole sub-document) passes only
     * when nothing under it is hidden. {@code doc} has %%root = {@code after}, %%prevRoot = {@code before}.
     */
    FieldRejection writableByName(RuleContext doc, Object after, Object before, String path, boolean constantsOnly) {
        Scope s = scope;
        Object now = after;
        Object prev = before;
        String[] segments = path.isEmpty() ? new String[0] : path.split("\\.", -1);
        int i = 0;
        while (true) {
            if (s.write != null) {
                if (constantsOnly && !s.write.alwaysTrue && !s.write.alwaysFalse) {
                    return null;
                }
                Clause failure = failure(s.write, doc, now, prev);
                return failure == null ? null : new FieldRejection(path, failure);
            }
            i = skipPositions(s, segments, i);
            if (i == segments.length) {
                if (!s.hasChildren()) {
                    return new FieldRejection(path, null);
                }
                return !constantsOnly || hidesNothing(s, doc, prev, null, null) ? null : new FieldRejection(path, null);
            }
            Scope child = s.child(segments[i]);
            if (child == null) {
                return new FieldRejection(path, null);
            }
            now = stepByName(now, segments[i]);
            prev = stepByName(prev, segments[i]);
            s = child;
            i++;
        }
    }

    /** Skips array positions ($, $[], $[id], and indexes the scope does not name as fields) from {@code i}. */
    private static int skipPositions(Scope s, String[] segments, int i) {
        while (i < segments.length) {
            String segment = segments[i];
            boolean position = segment.equals("$") || segment.startsWith("$[")
                    || Values.arrayIndex(segment) >= 0 && !s.fields.containsKey(segment);
            if (!position) {
                break;
            }
            i++;
        }
        return i;
    }

    private static Object stepByName(Object value, String segment) {
        return value instanceof Map<?, ?> ? Values.step(value, segment) : Values.MISSING;
    }

    // ---- write ---------------------------------------------------------------------------------

    /**
     * Adds a rejection for every field the write changes (adds, alters or removes) without write
     * permission. {@code doc} has %%root = after and %%prevRoot = before; either may be missing.
     */
    void checkWrite(RuleContext doc, Object before, Object after, List<FieldRejection> rejected) {
        checkWrite(doc, before, after, List.of(), rejected);
    }

    /**
     * As {@link #checkWrite(RuleContext, Object, Object, List)}, and also rejects every {@code named} path
     * the role may not write on the after-image, changed or not (see {@link #writableByName}). A
     * document-level write is evaluated once for both.
     */
    void checkWrite(RuleContext doc, Object before, Object after, List<String> named, List<FieldRejection> rejected) {
        Scope s = scope;
        if (s.write != null) {
            Clause failure = failure(s.write, doc, after, before);
            if (failure != null) {
                rejectChanged(before, after, "", failure, rejected);
                for (String path : named) {
                    if (rejected.stream().noneMatch(r -> r.field().equals(path))) {
                        rejected.add(new FieldRejection(path, failure));
                    }
                }
            }
            return;
        }
        fields(s, doc, before, after, "", rejected);
        for (String path : named) {
            FieldRejection r = writableByName(doc, after, before, path, false);
            if (r != null && rejected.stream().noneMatch(x -> x.field().equals(path))) {
                rejected.add(r);
            }
        }
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
