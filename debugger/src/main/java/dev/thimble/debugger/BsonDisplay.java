package dev.thimble.debugger;

import com.oracle.truffle.api.debug.DebugException;
import com.oracle.truffle.api.debug.DebugStackFrame;
import com.oracle.truffle.api.debug.DebugValue;

import java.util.Set;

/**
 * Shows the BSON values functions work with as what they are: {@code ObjectId("65a…")},
 * {@code Date("2026-…Z")}, {@code Decimal128("1.5")}, {@code Long("9007199254740993")},
 * {@code Binary("AAE=", 0)}, {@code UUID("…")} (a Binary of subtype 4), also inside an object's or
 * an array's preview. Truffle's own display shows them as {@code {}}: their state is in private
 * fields. The formatter is a small JS function evaluated once per pause in the paused frame; it reads
 * own data properties only (never runs a getter of the user's objects) and never throws.
 * Used on the paused execution's thread only.
 */
final class BsonDisplay {
    /** The types the runtime's bootstrap defines for BSON values, by their class names. */
    private static final Set<String> BSON_TYPES = Set.of("ObjectId", "Long", "Decimal128", "Binary", "Int32", "Double",
            "Timestamp", "Date", "BSONRegExp", "MinKey", "MaxKey");

    private static final String FORMATTER = """
            (function () {
              const own = Object.prototype.hasOwnProperty;
              let found = false;
              function scalar(v) {
                if (v === null || typeof v !== 'object') return undefined;
                if (v instanceof Date) { const t = v.getTime(); return t !== t ? 'Invalid Date' : 'Date("' + v.toISOString() + '")'; }
                let t;
                try { t = v._bsontype; } catch (e) { return undefined; }
                switch (t) {
                  case 'ObjectID': return 'ObjectId("' + v.toHexString() + '")';
                  case 'Long': return 'Long("' + v.toString() + '")';
                  case 'Decimal128': return 'Decimal128("' + v.toString() + '")';
                  case 'Int32': return 'Int32(' + v.value + ')';
                  case 'Double': return 'Double(' + v.value + ')';
                  case 'Timestamp': return 'Timestamp({ t: ' + v.t + ', i: ' + v.i + ' })';
                  case 'BSONRegExp': return 'BSONRegExp(' + JSON.stringify(v.pattern) + ', ' + JSON.stringify(v.options) + ')';
                  case 'MinKey': return 'MinKey()';
                  case 'MaxKey': return 'MaxKey()';
                  case 'Binary': {
                    if (v.sub_type === 4 || v.sub_type === 3) {
                      const h = String(v.toHex());
                      if (h.length === 32) return 'UUID("' + h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20) + '")';
                    }
                    return 'Binary("' + v.toBase64() + '", ' + v.sub_type + ')';
                  }
                }
                return undefined;
              }
              function preview(v, depth) {
                const s = scalar(v);
                if (s !== undefined) { found = true; return s; }
                if (v === null) return 'null';
                switch (typeof v) {
                  case 'string': return JSON.stringify(v);
                  case 'bigint': return v + 'n';
                  case 'function': return 'ƒ ' + (v.name || '(anonymous)');
                  case 'object': break;
                  default: return String(v);
                }
                if (depth > 1) return Array.isArray(v) ? '[…]' : '{…}';
                if (Array.isArray(v)) {
                  const parts = [];
                  for (let i = 0; i < v.length && i < 10; i++) parts.push(preview(v[i], depth + 1));
                  if (v.length > 10) parts.push('… ' + (v.length - 10) + ' more');
                  return '[' + parts.join(', ') + ']';
                }
                const proto = Object.getPrototypeOf(v);
                if (proto !== Object.prototype && proto !== null) return undefined;
                const parts = [];
                const keys = Object.keys(v);
                for (let i = 0; i < keys.length && i < 10; i++) {
                  const d = Object.getOwnPropertyDescriptor(v, keys[i]);
                  parts.push(keys[i] + ': ' + (d && own.call(d, 'value') ? preview(d.value, depth + 1) : '(getter)'));
                }
                if (keys.length > 10) parts.push('… ' + (keys.length - 10) + ' more');
                return '{' + parts.join(', ') + '}';
              }
              return function (v) {
                try {
                  const s = scalar(v);
                  if (s !== undefined) return s;
                  if (v === null || typeof v !== 'object') return undefined;
                  found = false;
                  const p = preview(v, 0);
                  return found ? p : undefined;
                } catch (e) {
                  return undefined;
                }
              };
            })()
            """;

    private DebugValue formatter;
    private boolean unavailable;

    /** The value's display when it is, or holds, a BSON value; null to keep Truffle's own. */
    String display(DebugStackFrame frame, DebugValue value, String type) {
        if (unavailable || value.isNull() || value.isString() || value.isNumber() || value.isBoolean()) {
            return null;
        }
        if (!value.isDate() && !BSON_TYPES.contains(type) && !value.isArray() && !"Object".equals(type)) {
            return null;
        }
        try {
            if (formatter == null) {
                formatter = frame.eval(FORMATTER);
            }
            DebugValue shown = formatter.execute(value);
            return shown == null || !shown.isString() ? null : shown.asString();
        } catch (DebugException | UnsupportedOperationException | IllegalStateException e) {
            unavailable = true; // e.g. a frame that cannot evaluate: keep Truffle's display for this pause
            return null;
        }
    }

    /** True for the values shown as one value (no properties worth opening). */
    static boolean isScalar(String type, DebugValue value) {
        return value.isDate() || BSON_TYPES.contains(type);
    }
}
