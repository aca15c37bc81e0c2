'use strict';
// Node's assert, written for Thimble: ok/equal/strictEqual/deepEqual/deepStrictEqual and their negations,
// throws/doesNotThrow/rejects/doesNotReject, match, fail, ifError, AssertionError and assert.strict.
const inspect = (v) => thimble.inspect(v);

class AssertionError extends Error {
  constructor(options) {
    const o = options || {};
    super(o.message !== undefined ? String(o.message)
      : inspect(o.actual) + ' ' + (o.operator || '==') + ' ' + inspect(o.expected));
    this.name = 'AssertionError';
    this.code = 'ERR_ASSERTION';
    this.actual = o.actual;
    this.expected = o.expected;
    this.operator = o.operator;
    this.generatedMessage = o.message === undefined;
  }
}

function fail(actual, expected, message, operator) {
  if (message instanceof Error) throw message;
  throw new AssertionError({ actual, expected, message, operator });
}

function isPrimitive(v) { return v === null || (typeof v !== 'object' && typeof v !== 'function'); }

function deepEqual(a, b, strict, memo) {
  if (strict ? Object.is(a, b) : (a === b || (a == b && (isPrimitive(a) || isPrimitive(b))))) return true;
  if (!strict && isPrimitive(a) && isPrimitive(b)) return a == b || (a !== a && b !== b);
  if (isPrimitive(a) || isPrimitive(b)) return false;
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ta = Object.prototype.toString.call(a), tb = Object.prototype.toString.call(b);
  if (ta !== tb) return false;
  if (a instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof RegExp) return String(a) === String(b) && a.lastIndex === b.lastIndex;
  if (a instanceof Error && (a.message !== b.message || a.name !== b.name)) return false;
  if (ArrayBuffer.isView(a)) {
    if (a.length !== b.length || a.byteLength !== b.byteLength) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(!strict && a[i] == b[i])) return false;
    if (!(a instanceof Uint8Array)) return true;
  }
  if (typeof a.valueOf === 'function' && (a instanceof Number || a instanceof String || a instanceof Boolean)) {
    if (!Object.is(a.valueOf(), b.valueOf())) return false;
  }
  memo = memo || { a: [], b: [] };
  const seen = memo.a.indexOf(a);
  if (seen !== -1 && memo.b[seen] === b) return true;
  memo.a.push(a); memo.b.push(b);
  try {
    if (a instanceof Map) {
      if (a.size !== b.size) return false;
      for (const [k, v] of a) { if (!b.has(k) || !deepEqual(v, b.get(k), strict, memo)) return false; }
      return true;
    }
    if (a instanceof Set) {
      if (a.size !== b.size) return false;
      outer: for (const v of a) {
        if (b.has(v)) continue;
        if (!isPrimitive(v)) for (const w of b) if (deepEqual(v, w, strict, memo)) continue outer;
        return false;
      }
      return true;
    }
    const ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    if (Array.isArray(a) && a.length !== b.length) return false;
    for (const k of ka) {
      if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
      if (!deepEqual(a[k], b[k], strict, memo)) return false;
    }
    if (strict) {
      const sa = Object.getOwnPropertySymbols(a).filter((s) => Object.prototype.propertyIsEnumerable.call(a, s));
      const sb = Object.getOwnPropertySymbols(b).filter((s) => Object.prototype.propertyIsEnumerable.call(b, s));
      if (sa.length !== sb.length) return false;
      for (const s of sa) if (!deepEqual(a[s], b[s], strict, memo)) return false;
    }
    return true;
  } finally {
    memo.a.pop(); memo.b.pop();
  }
}

function matches(error, expected, message) {
  if (expected === undefined) return true;
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && error instanceof expected) return true;
    if (Error.isPrototypeOf(expected) || expected === Error) return false;
    return expected.call({}, error) === true;
  }
  if (expected instanceof RegExp) return expected.test(String(error));
  if (typeof expected === 'object' && expected !== null) {
    for (const k of Object.keys(expected)) {
      const want = expected[k];
      const got = error == null ? undefined : error[k];
      if (want instanceof RegExp && typeof got === 'string' ? !want.test(got) : !deepEqual(got, want, true)) return false;
    }
    return true;
  }
  return false;
}

function getThrown(fn) {
  if (typeof fn !== 'function') throw new TypeError('The "fn" argument must be of type function. Received ' + inspect(fn));
  try { fn(); } catch (e) { return { error: e }; }
  return null;
}

async function getRejected(promiseOrFn) {
  const p = typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn;
  try { await p; } catch (e) { return { error: e }; }
  return null;
}

function assert(value, message) { if (!value) fail(value, true, message, '=='); }
assert.ok = function ok(value, message) { if (!value) fail(value, true, message, '=='); };
assert.AssertionError = AssertionError;
assert.fail = function (actual, expected, message, operator) {
  if (arguments.length <= 1) throw actual instanceof Error ? actual : new AssertionError({ message: actual === undefined ? 'Failed' : actual, operator: 'fail' });
  fail(actual, expected, message, operator || '!=');
};
assert.equal = (a, b, m) => { if (!(a == b || (a !== a && b !== b))) fail(a, b, m, '=='); };
assert.notEqual = (a, b, m) => { if (a == b || (a !== a && b !== b)) fail(a, b, m, '!='); };
assert.strictEqual = (a, b, m) => { if (!Object.is(a, b)) fail(a, b, m, 'strictEqual'); };
assert.notStrictEqual = (a, b, m) => { if (Object.is(a, b)) fail(a, b, m, 'notStrictEqual'); };
assert.deepEqual = (a, b, m) => { if (!deepEqual(a, b, false)) fail(a, b, m, 'deepEqual'); };
assert.notDeepEqual = (a, b, m) => { if (deepEqual(a, b, false)) fail(a, b, m, 'notDeepEqual'); };
assert.deepStrictEqual = (a, b, m) => { if (!deepEqual(a, b, true)) fail(a, b, m, 'deepStrictEqual'); };
assert.notDeepStrictEqual = (a, b, m) => { if (deepEqual(a, b, true)) fail(a, b, m, 'notDeepStrictEqual'); };
assert.throws = function throws(fn, expected, message) {
  if (typeof expected === 'string') { message = expected; expected = undefined; }
  const got = getThrown(fn);
  if (!got) fail(undefined, expected, message || 'Missing expected exception.', 'throws');
  if (!matches(got.error, expected)) throw got.error;
};
assert.doesNotThrow = function doesNotThrow(fn, expected, message) {
  const got = getThrown(fn);
  if (got) fail(got.error, expected, (typeof expected === 'string' ? expected : message) || 'Got unwanted exception.\nActual message: "' + (got.error && got.error.message) + '"', 'doesNotThrow');
};
assert.rejects = async function rejects(promiseOrFn, expected, message) {
  if (typeof expected === 'string') { message = expected; expected = undefined; }
  const got = await getRejected(promiseOrFn);
  if (!got) fail(undefined, expected, message || 'Missing expected rejection.', 'rejects');
  if (!matches(got.error, expected)) throw got.error;
};
assert.doesNotReject = async function doesNotReject(promiseOrFn, expected, message) {
  const got = await getRejected(promiseOrFn);
  if (got) fail(got.error, expected, message || 'Got unwanted rejection.\nActual message: "' + (got.error && got.error.message) + '"', 'doesNotReject');
};
assert.ifError = (err) => { if (err !== null && err !== undefined) throw err; };
assert.match = (s, re, m) => { if (!re.test(s)) fail(s, re, m || 'The input did not match the regular expression ' + re + '. Input: ' + inspect(s), 'match'); };
assert.doesNotMatch = (s, re, m) => { if (re.test(s)) fail(s, re, m || 'The input was expected to not match the regular expression ' + re + '. Input: ' + inspect(s), 'doesNotMatch'); };
assert.isDeepStrictEqualInternal = (a, b) => deepEqual(a, b, true);
Object.defineProperty(assert, 'isDeepStrictEqualInternal', { enumerable: false });

const strict = function strict(value, message) { if (!value) fail(value, true, message, '=='); };
Object.assign(strict, assert, { equal: assert.strictEqual, notEqual: assert.notStrictEqual,
  deepEqual: assert.deepStrictEqual, notDeepEqual: assert.notDeepStrictEqual });
strict.strict = strict;
assert.strict = strict;
module.exports = assert;
