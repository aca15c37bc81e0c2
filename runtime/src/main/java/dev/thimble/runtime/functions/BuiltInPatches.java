package dev.thimble.runtime.functions;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds function code that changes what every call of a reused realm shares (decision record 0030):
 * a built-in object or prototype ({@code Array.prototype.last = ...}, {@code console.logVerbose = ...}),
 * a standard global binding ({@code Promise = require('bluebird')}) or an object's prototype chain.
 * Real apps do this in a "utils" function the others call first (spec §1.5); an app version with
 * such code runs every execution in a fresh realm, where the patch lives exactly as long as the
 * request. The scan is conservative (a local variable named {@code console} counts too): a false
 * find costs speed, never correctness; code it misses meets frozen built-ins, never another call's changes.
 */
final class BuiltInPatches {
    private static final String NAMES = "Object|Array|String|Number|Boolean|Function|Symbol|BigInt|Date|RegExp|Promise|Map|Set"
            + "|WeakMap|WeakSet|WeakRef|Proxy|Reflect|Math|JSON|Intl|Atomics|Error|TypeError|RangeError|SyntaxError|ReferenceError"
            + "|EvalError|URIError|AggregateError|ArrayBuffer|SharedArrayBuffer|DataView|Int8Array|Uint8Array|Uint8ClampedArray"
            + "|Int16Array|Uint16Array|Int32Array|Uint32Array|Float32Array|Float64Array|BigInt64Array|BigUint64Array|Iterator"
            + "|console|BSON|EJSON|utils|process|Buffer|URL|URLSearchParams|TextEncoder|TextDecoder";
    private static final String ASSIGN = "\\s*(?:[-+*/%&|^]|\\*\\*|<<|>>>?|&&|\\|\\||\\?\\?)?=(?!=)";
    private static final Pattern[] PATTERNS = {
            // Array.prototype.last = …, console.logVerbose = …, Math['random'] = …, process.env.X = …
            Pattern.compile("(?<![\\w$.])(?:(?:global|globalThis|self|window)\\s*\\.\\s*)?(?:" + NAMES
                    + ")(?:\\s*(?:\\.\\s*[\\w$]+|\\[[^\\]\\n]*\\]))+" + ASSIGN),
            // Promise = …, global.Promise = …, globalThis['Array'] = …
            Pattern.compile("(?<![\\w$.])(?:(?:global|globalThis|self|window)\\s*(?:\\.\\s*|\\[\\s*['\"`]))?(?:" + NAMES
                    + ")(?:['\"`]\\s*\\])?" + ASSIGN),
            // Object.defineProperty(Array.prototype, …), Object.assign(String.prototype, …), Object.setPrototypeOf(…)
            Pattern.compile("\\b(?:Object|Reflect)\\s*\\.\\s*(?:defineProperty|defineProperties|assign|setPrototypeOf|__defineGetter__|__defineSetter__)"
                    + "\\s*\\(\\s*(?:(?:global|globalThis)\\s*\\.\\s*)?(?:" + NAMES + ")\\b"),
            // reaching a prototype indirectly: x.__proto__, x.constructor.prototype, Object.getPrototypeOf(...)
            Pattern.compile("__proto__|\\.\\s*constructor\\s*\\.\\s*prototype\\b|\\bgetPrototypeOf\\s*\\("),
    };

    private BuiltInPatches() {
    }

    /** The first piece of {@code source} that may change a shared built-in, if any. */
    static Optional<String> find(String source) {
        if (source == null || source.isEmpty()) {
            return Optional.empty();
        }
        for (Pattern pattern : PATTERNS) {
            Matcher m = pattern.matcher(source);
            if (m.find()) {
                return Optional.of(m.group().strip());
            }
        }
        return Optional.empty();
    }
}
