// Thimble function runtime: evaluated once per Context, before any user code runs.
// It evaluates to a function that takes the host bridge (a Java proxy object), installs the
// globals (BSON, EJSON, console, utils, require) and returns the internal API the engine uses.
// The bridge is only ever held in closures here; user code cannot reach it.
(function (host) {
  'use strict';

  // Built-ins captured before user code can replace them.
  const G = globalThis;
  const ObjectKeys = Object.keys;
  const ObjectDefineProperty = Object.defineProperty;
  const ObjectGetPrototypeOf = Object.getPrototypeOf;
  const ObjectPrototype = Object.prototype;
  const ObjectFreeze = Object.freeze;
  const ArrayIsArray = Array.isArray;
  const JSONparse = JSON.parse;
  const JSONstringify = JSON.stringify;
  const NumberIsInteger = Number.isInteger;
  const NumberIsSafeInteger = Number.isSafeInteger;
  const ReflectApply = Reflect.apply;
  const PromiseCtor = Promise;
  const PromiseResolve = Promise.resolve.bind(Promise);
  const PromiseReject = Promise.reject.bind(Promise);
  const PromiseThen = Promise.prototype.then;
  const DateCtor = Date;
  const DateGetTime = Date.prototype.getTime;
  const DateToISOString = Date.prototype.toISOString;
  const RegExpCtor = RegExp;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const RangeErrorCtor = RangeError;
  const MapCtor = Map;
  const SetCtor = Set;
  const BigIntCtor = BigInt;
  const BigIntAsIntN = BigInt.asIntN;
  const Uint8ArrayCtor = Uint8Array;
  const ArrayBufferCtor = ArrayBuffer;
  const StringCtor = String;
  const MathTrunc = Math.trunc;
  const INT64_MIN = -(2n ** 63n);
  const INT64_MAX = 2n ** 63n - 1n;
  const HEX24 = /^[0-9a-fA-F]{24}$/;

  // A host call answers either with its value or with {thimbleError, errorName}.
  function unwrap(r) {
    if (r !== null && typeof r === 'object' && r.thimbleError !== undefined) {
      const name = r.errorName;
      const E = name === 'TypeError' ? TypeErrorCtor : name === 'RangeError' ? RangeErrorCtor : ErrorCtor;
      const e = new E(r.thimbleError);
      if (r.code !== undefined) e.code = r.code;
      throw e;
    }
    return r;
  }

  // ---------------------------------------------------------------- bytes
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  function bytesToBase64(b) {
    let out = '';
    let i = 0;
    for (; i + 2 < b.length; i += 3) {
      const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
    }
    if (b.length - i === 1) {
      const n = b[i] << 16;
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + '==';
    } else if (b.length - i === 2) {
      const n = (b[i] << 16) | (b[i + 1] << 8);
      out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + '=';
    }
    return out;
  }
  function base64ToBytes(s) {
    const clean = s.replace(/=+$/, '');
    const out = new Uint8ArrayCtor(Math.floor(clean.length * 3 / 4));
    let buf = 0, bits = 0, j = 0;
    for (let i = 0; i < clean.length; i++) {
      const v = B64.indexOf(clean[i]);
      buf = ((buf << 6) | v) & 0xffffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[j++] = (buf >> bits) & 255;
      }
    }
    return out;
  }
  function bytesOf(x, what) {
    if (x instanceof Uint8ArrayCtor) return x;
    if (x instanceof ArrayBufferCtor) return new Uint8ArrayCtor(x);
    if (ArrayIsArray(x)) return Uint8ArrayCtor.from(x);
    throw new TypeErrorCtor(what + ' needs a Uint8Array, an ArrayBuffer or an array of bytes');
  }

  // ---------------------------------------------------------------- BSON
  // The host writes an ObjectId's wire text itself (24 lowercase hex characters): decoding it skips the constructor's
  // check and lower-casing (a regular expression run and a string copy per ObjectId in the interpreter) through this
  // module-private token, which user code cannot reach, so `new ObjectId(x)` keeps its one parameter and its checks.
  const FROM_HOST = {};
  let hostHex = null;
  function objectIdFromHost(hex) {
    hostHex = hex;
    return new ObjectId(FROM_HOST);
  }
  class ObjectId {
    #hex;
    constructor(id) {
      if (id === FROM_HOST) { this.#hex = hostHex; hostHex = null; }
      else if (id === undefined || id === null) this.#hex = host.objectId();
      else if (id instanceof ObjectId) this.#hex = id.#hex;
      else if (typeof id === 'string' && HEX24.test(id)) this.#hex = id.toLowerCase();
      else throw new TypeErrorCtor('ObjectId needs a string of 24 hex characters, got ' + inspect(id));
    }
    toHexString() { return this.#hex; }
    toString() { return this.#hex; }
    toJSON() { return this.#hex; }
    equals(other) {
      if (other instanceof ObjectId) return other.#hex === this.#hex;
      if (typeof other === 'string') return other.toLowerCase() === this.#hex;
      return false;
    }
    getTimestamp() { return new DateCtor(parseInt(this.#hex.slice(0, 8), 16) * 1000); }
    get _bsontype() { return 'ObjectID'; }
    static isValid(x) { return x instanceof ObjectId || (typeof x === 'string' && HEX24.test(x)); }
    static createFromHexString(hex) { return new ObjectId(hex); }
    static createFromTime(seconds) {
      return new ObjectId((seconds >>> 0).toString(16).padStart(8, '0') + '0000000000000000');
    }
  }

  function toBig(x) {
    if (x instanceof Long) return x.toBigInt();
    if (typeof x === 'bigint') return x;
    if (typeof x === 'string') return Long.fromString(x).toBigInt();
    return BigIntCtor(MathTrunc(+x));
  }
  class Long {
    #v;
    constructor(low, high) {
      if (typeof low === 'bigint') this.#v = BigIntAsIntN(64, low);
      else if (typeof low === 'string') this.#v = Long.fromString(low).#v;
      else if (high === undefined) this.#v = Long.fromNumber(low === undefined ? 0 : low).#v;
      else this.#v = BigIntAsIntN(64, (BigIntCtor(high | 0) << 32n) | BigIntCtor(low >>> 0));
    }
    static fromString(s, unsigned, radix) {
      const str = StringCtor(s).trim();
      if (typeof unsigned === 'number') radix = unsigned;
      radix = radix || 10;
      let v;
      if (radix === 10 && /^[+-]?\d+$/.test(str)) v = BigIntCtor(str);
      else if (radix === 16 && /^-?[0-9a-fA-F]+$/.test(str)) v = str[0] === '-' ? -BigIntCtor('0x' + str.slice(1)) : BigIntCtor('0x' + str);
      else throw new TypeErrorCtor('Long.fromString: not an integer in base ' + radix + ': ' + inspect(s));
      if (v < INT64_MIN || v > INT64_MAX) throw new RangeErrorCtor('Long.fromString: ' + str + ' does not fit in 64 bits');
      return new Long(v);
    }
    static fromNumber(n) {
      if (typeof n !== 'number' || !isFinite(n)) return new Long(0n);
      const v = BigIntCtor(MathTrunc(n));
      return new Long(v < INT64_MIN ? INT64_MIN : v > INT64_MAX ? INT64_MAX : v);
    }
    static fromInt(n) { return new Long(BigIntCtor(n | 0)); }
    static fromBigInt(b) { return new Long(b); }
    static fromBits(low, high) { return new Long(low, high); }
    static isLong(x) { return x instanceof Long; }
    toBigInt() { return this.#v; }
    toNumber() { return Number(this.#v); }
    toInt() { return Number(BigIntAsIntN(32, this.#v)); }
    toString(radix) { return this.#v.toString(radix || 10); }
    valueOf() { return Number(this.#v); }
    toJSON() { const n = Number(this.#v); return NumberIsSafeInteger(n) ? n : this.#v.toString(); }
    get low() { return Number(BigIntAsIntN(32, this.#v)); }
    get high() { return Number(BigIntAsIntN(32, this.#v >> 32n)); }
    get unsigned() { return false; }
    get _bsontype() { return 'Long'; }
    compare(o) { const b = toBig(o); return this.#v < b ? -1 : this.#v > b ? 1 : 0; }
    equals(o) { return this.compare(o) === 0; }
    lessThan(o) { return this.compare(o) < 0; }
    lessThanOrEqual(o) { return this.compare(o) <= 0; }
    greaterThan(o) { return this.compare(o) > 0; }
    greaterThanOrEqual(o) { return this.compare(o) >= 0; }
    isZero() { return this.#v === 0n; }
    isNegative() { return this.#v < 0n; }
    negate() { return new Long(-this.#v); }
    add(o) { return new Long(this.#v + toBig(o)); }
    subtract(o) { return new Long(this.#v - toBig(o)); }
    multiply(o) { return new Long(this.#v * toBig(o)); }
    divide(o) {
      const d = toBig(o);
      if (d === 0n) throw new RangeErrorCtor('Long: division by zero');
      return new Long(this.#v / d);
    }
    div(o) { return this.divide(o); }
    modulo(o) {
      const d = toBig(o);
      if (d === 0n) throw new RangeErrorCtor('Long: division by zero');
      return new Long(this.#v % d);
    }
  }
  Long.ZERO = new Long(0n);
  Long.ONE = new Long(1n);
  Long.MAX_VALUE = new Long(INT64_MAX);
  Long.MIN_VALUE = new Long(INT64_MIN);

  class Int32 {
    #v;
    constructor(v) { this.#v = (+v) | 0; }
    get value() { return this.#v; }
    valueOf() { return this.#v; }
    toJSON() { return this.#v; }
    toString(radix) { return this.#v.toString(radix); }
    get _bsontype() { return 'Int32'; }
  }
  class Double {
    #v;
    constructor(v) { this.#v = +v; }
    get value() { return this.#v; }
    valueOf() { return this.#v; }
    toJSON() { return this.#v; }
    toString(radix) { return this.#v.toString(radix); }
    get _bsontype() { return 'Double'; }
  }
  class Decimal128 {
    #s;
    constructor(s) { this.#s = unwrap(host.decimal(StringCtor(s))); }
    static fromString(s) { return new Decimal128(s); }
    toString() { return this.#s; }
    toJSON() { return { $numberDecimal: this.#s }; }
    get _bsontype() { return 'Decimal128'; }
  }
  class Binary {
    #b64;
    #subType;
    constructor(buffer, subType) {
      if (buffer === undefined || buffer === null) this.#b64 = '';
      else if (typeof buffer === 'string') { // bson's 'binary' string encoding: one byte per char
        const bytes = new Uint8ArrayCtor(buffer.length);
        for (let i = 0; i < buffer.length; i++) bytes[i] = buffer.charCodeAt(i) & 255;
        this.#b64 = bytesToBase64(bytes);
      } else this.#b64 = bytesToBase64(bytesOf(buffer, 'Binary'));
      this.#subType = subType === undefined ? 0 : subType & 255;
    }
    static fromBase64(b64, subType) {
      const b = new Binary(null, subType);
      b.#b64 = unwrap(host.normalizeBase64(StringCtor(b64)));
      return b;
    }
    static fromHex(hex, subType) { return Binary.fromBase64(unwrap(host.hexToBase64(StringCtor(hex))), subType); }
    static fromText(text) { return Binary.fromBase64(host.utf8ToBase64(StringCtor(text)), 0); }
    toBase64() { return this.#b64; }
    toHex() { return host.base64ToHex(this.#b64); }
    text() { return host.base64ToUtf8(this.#b64); }
    length() { return host.base64Length(this.#b64); }
    get buffer() { return base64ToBytes(this.#b64); }
    get sub_type() { return this.#subType; }
    get subType() { return this.#subType; }
    value() { return this.text(); }
    toString(encoding) { return encoding === 'hex' ? this.toHex() : encoding === 'base64' ? this.#b64 : this.text(); }
    toJSON() { return this.#b64; }
    equals(o) { return o instanceof Binary && o.#b64 === this.#b64 && o.#subType === this.#subType; }
    get _bsontype() { return 'Binary'; }
  }
  class BSONRegExp {
    constructor(pattern, options) {
      this.pattern = StringCtor(pattern);
      this.options = (options || '').split('').sort().join('');
    }
    get _bsontype() { return 'BSONRegExp'; }
  }
  class MinKey { get _bsontype() { return 'MinKey'; } }
  class MaxKey { get _bsontype() { return 'MaxKey'; } }
  class Timestamp {
    constructor(low, high) {
      if (low !== null && typeof low === 'object' && !(low instanceof Long)) { this.t = low.t >>> 0; this.i = low.i >>> 0; }
      else if (low instanceof Long) { this.t = low.high >>> 0; this.i = low.low >>> 0; }
      else { this.i = low >>> 0; this.t = high >>> 0; }
    }
    getHighBits() { return this.t; }
    getLowBits() { return this.i; }
    toJSON() { return { $timestamp: { t: this.t, i: this.i } }; }
    get _bsontype() { return 'Timestamp'; }
  }
  class Code {
    constructor(code, scope) { this.code = StringCtor(code); this.scope = scope; }
    get _bsontype() { return 'Code'; }
  }
  const BSON = ObjectFreeze({
    ObjectId, ObjectID: ObjectId, Long, Int32, Double, Decimal128, Binary, BSONRegExp,
    MinKey, MaxKey, Timestamp, Code
  });

  // ---------------------------------------------------------------- EJSON
  // Modes: WIRE (the Java boundary: canonical in and out, numbers as the Node driver stores them),
  // STRICT / RELAXED (EJSON.parse / stringify with relaxed false / true).
  const WIRE = 0, STRICT = 1, RELAXED = 2;
  const MAX_DEPTH = 100;
  const regexPatterns = new WeakMap(); // RegExp made from BSON -> its original pattern, for exact round trips

  function bsonRegexToJs(pattern, options, mode) {
    if (mode === WIRE && /^[imsu]*$/.test(options)) {
      try {
        const r = new RegExpCtor(pattern, options);
        regexPatterns.set(r, pattern);
        return r;
      } catch (e) { /* a pattern JS cannot compile stays a BSONRegExp */ }
    }
    return new BSONRegExp(pattern, options);
  }
  function dateFrom(x) {
    if (typeof x === 'string') return new DateCtor(x);
    if (typeof x === 'number') return new DateCtor(x);
    if (x !== null && typeof x === 'object' && typeof x.$numberLong === 'string') return new DateCtor(Number(x.$numberLong));
    throw new TypeErrorCtor('EJSON: bad $date value ' + JSONstringify(x));
  }
  const NOT_WRAPPER = {};
  function decodeWrapper(x, keys, mode) {
    const k = keys[0];
    const v = x[k];
    if (keys.length === 1) {
      switch (k) {
        case '$oid':
          if (typeof v === 'string') return mode === WIRE && v.length === 24 ? objectIdFromHost(v) : new ObjectId(v);
          break;
        case '$date': return dateFrom(v);
        case '$numberInt': if (typeof v === 'string') return mode === STRICT ? new Int32(+v) : +v; break;
        case '$numberDouble': if (typeof v === 'string') return mode === STRICT ? new Double(+v) : +v; break;
        case '$numberLong':
          if (typeof v === 'string') {
            const l = Long.fromString(v);
            if (mode === RELAXED && NumberIsSafeInteger(l.toNumber())) return l.toNumber();
            return l;
          }
          break;
        case '$numberDecimal': if (typeof v === 'string') return new Decimal128(v); break;
        case '$binary':
          if (v !== null && typeof v === 'object' && typeof v.base64 === 'string') {
            return Binary.fromBase64(v.base64, parseInt(v.subType, 16));
          }
          break;
        case '$uuid': if (typeof v === 'string') return Binary.fromHex(v.replace(/-/g, ''), 4); break;
        case '$regularExpression':
          if (v !== null && typeof v === 'object' && typeof v.pattern === 'string') return bsonRegexToJs(v.pattern, v.options || '', mode);
          break;
        case '$timestamp': if (v !== null && typeof v === 'object') return new Timestamp({ t: v.t, i: v.i }); break;
        case '$minKey': return new MinKey();
        case '$maxKey': return new MaxKey();
        case '$undefined': return undefined;
        case '$symbol': if (typeof v === 'string') return v; break;
        case '$code': if (typeof v === 'string') return new Code(v); break;
      }
    } else if (keys.length === 2) {
      if (k === '$code' && '$scope' in x) return new Code(x.$code, decode(x.$scope, mode, 1));
      if (mode !== WIRE) {
        if ('$binary' in x && '$type' in x && typeof x.$binary === 'string') return Binary.fromBase64(x.$binary, parseInt(x.$type, 16));
        if ('$regex' in x && '$options' in x && typeof x.$regex === 'string') return new BSONRegExp(x.$regex, x.$options);
      }
    }
    return NOT_WRAPPER;
  }
  function decode(x, mode, depth) {
    if (x === null || typeof x !== 'object') return x;
    // Primitives are taken as they are without a call, and the loops are indexed: in interpreter-only GraalJS
    // every call and every iterator step costs, and a database answer is mostly strings, numbers and booleans.
    if (ArrayIsArray(x)) {
      const out = new Array(x.length);
      for (let i = 0; i < x.length; i++) {
        const e = x[i];
        out[i] = e === null || typeof e !== 'object' ? e : decode(e, mode, depth + 1);
      }
      return out;
    }
    const keys = ObjectKeys(x);
    if (keys.length > 0 && keys.length <= 2 && keys[0].charCodeAt(0) === 36) {
      const w = decodeWrapper(x, keys, mode);
      if (w !== NOT_WRAPPER) return w;
    }
    const out = {};
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const e = x[k];
      const v = e === null || typeof e !== 'object' ? e : decode(e, mode, depth + 1);
      if (k === '__proto__') ObjectDefineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      else out[k] = v;
    }
    return out;
  }

  function doubleString(n) {
    if (n !== n) return 'NaN';
    if (n === Infinity) return 'Infinity';
    if (n === -Infinity) return '-Infinity';
    if (n === 0 && 1 / n < 0) return '-0.0';
    const s = StringCtor(n);
    return NumberIsInteger(n) && !/e/.test(s) ? s + '.0' : s;
  }
  function isInt32(n) { return NumberIsInteger(n) && n >= -2147483648 && n <= 2147483647 && !(n === 0 && 1 / n < 0); }
  function encodeNumber(n, mode) {
    if (mode === WIRE) return isInt32(n) ? { $numberInt: StringCtor(n) } : { $numberDouble: doubleString(n) };
    if (mode === RELAXED) return isFinite(n) && !(n === 0 && 1 / n < 0) ? n : { $numberDouble: doubleString(n) };
    if (isInt32(n)) return { $numberInt: StringCtor(n) };
    if (NumberIsInteger(n) && n >= -9223372036854775808 && n <= 9223372036854775807 && !(n === 0 && 1 / n < 0)) {
      return { $numberLong: BigIntCtor(n).toString() };
    }
    return { $numberDouble: doubleString(n) };
  }
  function regexOptions(flags) {
    return flags.replace(/[^imsu]/g, '').split('').sort().join('');
  }
  // JS value -> EJSON tree (plain objects only). Returns undefined for values to omit.
  // keepUndefined: undefined becomes {$undefined: true} (the Java boundary); otherwise fields are
  // dropped and array holes become null, as EJSON.stringify and the Node driver do.
  function encode(v, mode, keepUndefined, depth) {
    switch (typeof v) {
      case 'string': case 'boolean': return v;
      case 'number': return encodeNumber(v, mode);
      case 'bigint':
        if (v < INT64_MIN || v > INT64_MAX) throw new RangeErrorCtor('cannot convert ' + v + 'n to BSON: it does not fit in 64 bits');
        return mode === RELAXED && NumberIsSafeInteger(Number(v)) ? Number(v) : { $numberLong: v.toString() };
      case 'undefined': return keepUndefined ? { $undefined: true } : undefined;
      case 'function': case 'symbol': return undefined;
    }
    if (v === null) return null;
    if (depth > MAX_DEPTH) throw new RangeErrorCtor('the value is nested more than ' + MAX_DEPTH + ' levels deep (is it cyclic?)');
    // A plain object (a document, a query, a database call's arguments) is none of the types below: it skips their
    // ~16 instanceof checks, each a prototype walk in the interpreter (decision 0073).
    if (ObjectGetPrototypeOf(v) !== ObjectPrototype) {
      if (v instanceof DateCtor) {
        const t = ReflectApply(DateGetTime, v, []);
        if (t !== t) throw new RangeErrorCtor('cannot convert an Invalid Date to BSON');
        if (mode === RELAXED && t >= 0 && t <= 253402300799999) return { $date: ReflectApply(DateToISOString, v, []) };
        return { $date: { $numberLong: StringCtor(t) } };
      }
      if (v instanceof ObjectId) return { $oid: v.toHexString() };
      if (v instanceof Long) {
        return mode === RELAXED && NumberIsSafeInteger(v.toNumber()) ? v.toNumber() : { $numberLong: v.toString() };
      }
      if (v instanceof Int32) return mode === RELAXED ? v.value : { $numberInt: StringCtor(v.value) };
      if (v instanceof Double) {
        return mode === RELAXED && isFinite(v.value) && !(v.value === 0 && 1 / v.value < 0) ? v.value : { $numberDouble: doubleString(v.value) };
      }
      if (v instanceof Decimal128) return { $numberDecimal: v.toString() };
      if (v instanceof Binary) {
        const st = v.sub_type.toString(16);
        return { $binary: { base64: v.toBase64(), subType: st.length < 2 ? '0' + st : st } };
      }
      if (v instanceof RegExpCtor) {
        const original = regexPatterns.get(v);
        return { $regularExpression: { pattern: original !== undefined ? original : v.source, options: regexOptions(v.flags) } };
      }
      if (v instanceof BSONRegExp) return { $regularExpression: { pattern: v.pattern, options: v.options } };
      if (v instanceof Timestamp) return { $timestamp: { t: v.t, i: v.i } };
      if (v instanceof MinKey) return { $minKey: 1 };
      if (v instanceof MaxKey) return { $maxKey: 1 };
      if (v instanceof Code) {
        return v.scope === undefined ? { $code: v.code } : { $code: v.code, $scope: encode(v.scope, mode, keepUndefined, depth + 1) };
      }
      if (v instanceof Uint8ArrayCtor || v instanceof ArrayBufferCtor) {
        return { $binary: { base64: bytesToBase64(bytesOf(v)), subType: '00' } };
      }
      if (ArrayIsArray(v)) {
        const out = new Array(v.length);
        for (let i = 0; i < v.length; i++) {
          const el = v[i];
          const e = typeof el === 'string' || typeof el === 'boolean' ? el : encode(el, mode, keepUndefined, depth + 1);
          out[i] = e === undefined ? null : e;
        }
        return out;
      }
      if (v instanceof MapCtor) {
        const out = {};
        for (const [k, val] of v) {
          const e = encode(val, mode, keepUndefined, depth + 1);
          if (e !== undefined) setField(out, StringCtor(k), e);
        }
        return out;
      }
      if (v instanceof Number || v instanceof StringCtor || v instanceof Boolean) return encode(v.valueOf(), mode, keepUndefined, depth);
    }
    // as in decode: strings and booleans without a call, an indexed loop, setField inlined
    const out = {};
    const keys = ObjectKeys(v);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const val = v[k];
      const e = typeof val === 'string' || typeof val === 'boolean' ? val
        : val === undefined && !keepUndefined ? undefined : encode(val, mode, keepUndefined, depth + 1);
      if (e === undefined) continue;
      if (k === '__proto__') ObjectDefineProperty(out, k, { value: e, enumerable: true, writable: true, configurable: true });
      else out[k] = e;
    }
    return out;
  }
  function setField(o, k, v) {
    if (k === '__proto__') ObjectDefineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    else o[k] = v;
  }

  function ejsonOptions(o) {
    return o !== null && typeof o === 'object' && o.relaxed === false ? STRICT : RELAXED;
  }
  const EJSON = ObjectFreeze({
    stringify(value, replacer, space, options) {
      if (replacer !== null && typeof replacer === 'object' && !ArrayIsArray(replacer)) {
        options = replacer; replacer = undefined; space = undefined;
      } else if (space !== null && typeof space === 'object') {
        options = space; space = undefined;
      }
      return JSONstringify(encode(value, ejsonOptions(options), false, 0), replacer, space);
    },
    parse(text, options) { return decode(JSONparse(text), ejsonOptions(options), 0); },
    serialize(value, options) { return encode(value, ejsonOptions(options), false, 0); },
    deserialize(ejson, options) { return decode(JSONparse(JSONstringify(ejson)), ejsonOptions(options), 0); }
  });

  function toWireValue(v) { return JSONstringify({ v: encode(v, WIRE, true, 0) }); }
  function toWireArgs(v) { // service arguments: undefined fields are left out, as the Node driver does
    const e = encode(v, WIRE, false, 0);
    return JSONstringify({ v: e === undefined ? null : e });
  }
  function fromWire(s) { return decode(JSONparse(s).v, WIRE, 0); }

  // ---------------------------------------------------------------- console
  const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  function quote(s) { return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n') + "'"; }
  function inspect(v, depth, seen) {
    depth = depth || 0;
    switch (typeof v) {
      case 'string': return depth === 0 ? v : quote(v);
      case 'number': return v === 0 && 1 / v < 0 ? '-0' : StringCtor(v);
      case 'bigint': return v + 'n';
      case 'boolean': case 'undefined': return StringCtor(v);
      case 'symbol': return v.toString();
      case 'function': return (/^class\s/.test(Function.prototype.toString.call(v)) ? '[class ' : '[Function: ') + (v.name || '(anonymous)') + ']';
    }
    if (v === null) return 'null';
    try {
      if (v instanceof DateCtor) { const t = ReflectApply(DateGetTime, v, []); return t !== t ? 'Invalid Date' : ReflectApply(DateToISOString, v, []); }
      if (v instanceof RegExpCtor) return StringCtor(v);
      if (v instanceof ErrorCtor) return v.stack ? StringCtor(v.stack) : StringCtor(v);
      if (v instanceof ObjectId) return 'new ObjectId("' + v.toHexString() + '")';
      if (v instanceof Long) return 'new Long("' + v.toString() + '")';
      if (v instanceof Int32) return 'new Int32(' + v.value + ')';
      if (v instanceof Double) return 'new Double(' + v.value + ')';
      if (v instanceof Decimal128) return 'new Decimal128("' + v.toString() + '")';
      if (v instanceof Binary) return 'Binary.createFromBase64("' + v.toBase64() + '", ' + v.sub_type + ')';
      if (v instanceof BSONRegExp) return 'new BSONRegExp(' + quote(v.pattern) + ', ' + quote(v.options) + ')';
      if (v instanceof Timestamp) return 'new Timestamp({ t: ' + v.t + ', i: ' + v.i + ' })';
      if (v instanceof MinKey) return 'MinKey()';
      if (v instanceof MaxKey) return 'MaxKey()';
      if (v instanceof PromiseCtor) return 'Promise { ... }';
      seen = seen || [];
      if (seen.indexOf(v) >= 0) return '[Circular]';
      if (ArrayIsArray(v)) {
        if (v.length === 0) return '[]';
        if (depth > 2) return '[Array]';
        seen.push(v);
        const parts = [];
        for (let i = 0; i < v.length && i < 100; i++) parts.push(inspect(v[i], depth + 1, seen));
        if (v.length > 100) parts.push('... ' + (v.length - 100) + ' more items');
        seen.pop();
        return '[ ' + parts.join(', ') + ' ]';
      }
      if (v instanceof MapCtor || v instanceof SetCtor) {
        const label = (v instanceof MapCtor ? 'Map(' : 'Set(') + v.size + ')';
        if (v.size === 0) return label + ' {}';
        if (depth > 2) return '[' + (v instanceof MapCtor ? 'Map' : 'Set') + ']';
        seen.push(v);
        const parts = [];
        if (v instanceof MapCtor) for (const [k, x] of v) parts.push(inspect(k, depth + 1, seen) + ' => ' + inspect(x, depth + 1, seen));
        else for (const x of v) parts.push(inspect(x, depth + 1, seen));
        seen.pop();
        return label + ' { ' + parts.join(', ') + ' }';
      }
      const keys = ObjectKeys(v);
      const proto = ObjectGetPrototypeOf(v);
      const ctorName = proto && proto !== ObjectPrototype && proto.constructor && proto.constructor.name ? proto.constructor.name + ' ' : '';
      if (keys.length === 0) return ctorName + '{}';
      if (depth > 2) return '[' + (ctorName ? ctorName.trim() : 'Object') + ']';
      seen.push(v);
      const parts = [];
      for (const k of keys) parts.push((IDENT.test(k) ? k : quote(k)) + ': ' + inspect(v[k], depth + 1, seen));
      seen.pop();
      return ctorName + '{ ' + parts.join(', ') + ' }';
    } catch (e) {
      return '[object]';
    }
  }
  function format(args) {
    let first = args[0];
    let i = 1;
    let out;
    if (typeof first === 'string' && first.indexOf('%') >= 0) {
      out = first.replace(/%[sdifjoOc%]/g, (m) => {
        if (m === '%%') return '%';
        if (i >= args.length) return m;
        const a = args[i++];
        switch (m) {
          case '%s': return typeof a === 'string' ? a : inspect(a, 1);
          case '%d': case '%i': return typeof a === 'bigint' ? a + 'n' : StringCtor(m === '%i' ? parseInt(a) : Number(a));
          case '%f': return StringCtor(parseFloat(a));
          case '%j': try { return JSONstringify(a); } catch (e) { return '[Circular]'; }
          case '%c': return '';
          default: return inspect(a, 1);
        }
      });
    } else {
      out = args.length === 0 ? '' : inspect(first);
    }
    for (; i < args.length; i++) out += ' ' + inspect(args[i]);
    return out;
  }
  function logger(level) { return function (...args) { host.log(level, format(args)); }; }
  const consoleObject = {
    log: logger('log'), info: logger('info'), debug: logger('debug'), warn: logger('warn'), error: logger('error'),
    trace: logger('trace')
  };

  // ---------------------------------------------------------------- utils
  function bytesArg(x, what) {
    if (typeof x === 'string') return host.utf8ToBase64(x);
    if (x instanceof Binary) return x.toBase64();
    if (x instanceof Uint8ArrayCtor || x instanceof ArrayBufferCtor) return bytesToBase64(bytesOf(x));
    throw new TypeErrorCtor(what + ' must be a string or a BSON.Binary');
  }
  const utils = ObjectFreeze({
    crypto: ObjectFreeze({
      hash(algorithm, input) {
        return Binary.fromBase64(unwrap(host.hash(StringCtor(algorithm), bytesArg(input, 'utils.crypto.hash: input'))), 0);
      },
      hmac(input, secret, algorithm, encoding) {
        return unwrap(host.hmac(bytesArg(input, 'utils.crypto.hmac: input'), bytesArg(secret, 'utils.crypto.hmac: secret'),
          StringCtor(algorithm), encoding === undefined ? 'hex' : StringCtor(encoding)));
      },
      encrypt(type, message, key) {
        return Binary.fromBase64(unwrap(host.encrypt(StringCtor(type), bytesArg(message, 'utils.crypto.encrypt: message'), bytesArg(key, 'utils.crypto.encrypt: key'))), 0);
      },
      decrypt(type, encrypted, key) {
        const input = typeof encrypted === 'string' ? unwrap(host.normalizeBase64(encrypted)) : bytesArg(encrypted, 'utils.crypto.decrypt: message');
        return Binary.fromBase64(unwrap(host.decrypt(StringCtor(type), input, bytesArg(key, 'utils.crypto.decrypt: key'))), 0);
      },
      sign() { throw new ErrorCtor('utils.crypto.sign is not available in Thimble yet'); },
      verify() { throw new ErrorCtor('utils.crypto.verify is not available in Thimble yet'); }
    }),
    jwt: ObjectFreeze({
      encode(algorithm, payload, secret, customHeaders) {
        return unwrap(host.jwtEncode(StringCtor(algorithm), JSONstringify(payload === undefined ? {} : payload),
          bytesArg(secret, 'utils.jwt.encode: secret'), customHeaders === undefined ? '{}' : JSONstringify(customHeaders)));
      },
      decode(token, key, returnHeader) {
        const parts = JSONparse(unwrap(host.jwtDecode(StringCtor(token), bytesArg(key, 'utils.jwt.decode: key'))));
        return returnHeader ? { header: parts[0], payload: parts[1] } : parts[1];
      }
    })
  });

  // ---------------------------------------------------------------- context
  // What every context object of this execution shares, decoded on first use: most functions read
  // little of it, and a Context lives for one execution.
  function memo(make) {
    let done = false, value;
    return () => {
      if (!done) { value = make(); done = true; }
      return value;
    };
  }
  const appInfo = memo(() => fromWire(host.appWire()));
  // per call: a realm reused for the next call (decision 0029) must decode that call's request
  let requestInfo = memo(() => fromWire(host.requestWire()));
  const environmentInfo = memo(() => JSONparse(host.environmentJson()));
  const serviceTypes = memo(() => JSONparse(host.servicesJson()));
  const valuesApi = ObjectFreeze({
    get(name) {
      const json = host.value(StringCtor(name));
      return json === null ? undefined : JSONparse(json);
    }
  });
  function notYet(what) { return function () { throw new ErrorCtor(what + ' is not available in Thimble yet'); }; }

  const COUNT_FIELDS = ['insertedCount', 'matchedCount', 'modifiedCount', 'deletedCount', 'upsertedCount'];
  function plainCount(x) { return x instanceof Long && NumberIsSafeInteger(x.toNumber()) ? x.toNumber() : x; }
  function plainCounts(r) {
    if (r !== null && typeof r === 'object') for (const f of COUNT_FIELDS) if (f in r) r[f] = plainCount(r[f]);
    return r;
  }
  // The host answers a database call either at once (its result's wire text, or an error marker that
  // rejects the promise: decision 0042) or later through the callback (null now).
  // One function per client (not a closure calling this one): a database call makes as few interpreted calls as it can.
  // An answer given at once (the embedded database, decision 0042) makes an already-settled promise: no executor, no
  // resolving functions (decision 0073). The promise of an answer given later is made after the host returns: the
  // callback can only run once this call has returned (the owner thread drains its queue between turns).
  function serviceCaller(bridge, service) {
    return (action, args) => {
      let settle = null;
      let answered;
      try {
        answered = unwrap(bridge.mongo(service, action, toWireArgs(args), (ok, payload) => settle(ok, payload)));
        if (answered !== null) return PromiseResolve(fromWire(answered));
      } catch (e) {
        return PromiseReject(e);
      }
      return new PromiseCtor((resolve, reject) => {
        settle = (ok, payload) => {
          if (ok) resolve(fromWire(payload));
          else reject(new ErrorCtor(payload));
        };
      });
    };
  }
  function optionsOf(o, names) {
    const out = {};
    if (o !== null && typeof o === 'object') for (const n of names) if (o[n] !== undefined) out[n] = o[n];
    return out;
  }
  function makeCursor(call, base, action, fields) {
    const state = Object.assign({}, fields);
    let promise;
    const run = () => (promise = promise || call(action, Object.assign({}, base, state)));
    const cursor = {
      sort(s) { state.sort = s; return cursor; },
      limit(n) { state.limit = n; return cursor; },
      skip(n) { state.skip = n; return cursor; },
      project(p) { state.project = p; return cursor; },
      toArray() { return run(); },
      then(onOk, onErr) { return ReflectApply(PromiseThen, run(), [onOk, onErr]); },
      catch(onErr) { return ReflectApply(PromiseThen, run(), [undefined, onErr]); }
    };
    if (action !== 'find') { delete cursor.sort; delete cursor.limit; delete cursor.skip; delete cursor.project; }
    return cursor;
  }
  function makeCollection(call, database, collection) {
    const base = { database, collection };
    const c = (action, fields) => call(action, Object.assign({}, base, fields));
    return {
      get name() { return collection; },
      find(query, project) { return makeCursor(call, base, 'find', { query: query || {}, project }); },
      findOne(query, project, options) {
        const fields = { query: query || {}, project };
        return c('findOne', options === undefined ? fields : Object.assign(fields, optionsOf(options, ['sort'])));
      },
      count(query, options) { return c('count', Object.assign({ query: query || {} }, optionsOf(options, ['limit', 'skip']))).then(plainCount); },
      aggregate(pipeline) { return makeCursor(call, base, 'aggregate', { pipeline: pipeline || [] }); },
      distinct(key, query) { return c('distinct', { key, query: query || {} }); },
      insertOne(document) { return c('insertOne', { document }).then(plainCounts); },
      insertMany(documents) { return c('insertMany', { documents }).then(plainCounts); },
      updateOne(query, update, options) { return c('updateOne', Object.assign({ query, update }, optionsOf(options, ['upsert', 'arrayFilters']))).then(plainCounts); },
      updateMany(query, update, options) { return c('updateMany', Object.assign({ query, update }, optionsOf(options, ['upsert', 'arrayFilters']))).then(plainCounts); },
      deleteOne(query) { return c('deleteOne', { query: query || {} }).then(plainCounts); },
      deleteMany(query) { return c('deleteMany', { query: query || {} }).then(plainCounts); },
      findOneAndUpdate(filter, update, options) {
        return c('findOneAndUpdate', Object.assign({ filter, update }, optionsOf(options, ['projection', 'sort', 'upsert', 'returnNewDocument'])));
      },
      findOneAndReplace(filter, replacement, options) {
        return c('findOneAndReplace', Object.assign({ filter, update: replacement }, optionsOf(options, ['projection', 'sort', 'upsert', 'returnNewDocument'])));
      },
      findOneAndDelete(filter, options) { return c('findOneAndDelete', Object.assign({ filter }, optionsOf(options, ['projection', 'sort']))); },
      bulkWrite: notYet('collection.bulkWrite'),
      watch: notYet('collection.watch')
    };
  }
  function mongoClient(bridge, service) {
    const call = serviceCaller(bridge, service);
    return {
      db(database) {
        return {
          get name() { return database; },
          collection(name) { return makeCollection(call, database, name); },
          getCollectionNames() { return call('getCollectionNames', { database }); }
        };
      },
      admin() { return { getDBNames() { return call('getDBNames', {}); } }; }
    };
  }
  // ---------------------------------------------------------------- other services
  // Every action goes to the host's service registry, which checks the service's rules, calls the
  // service on an I/O thread and logs the call; the Promise settles on this Context's thread.
  function callService(bridge, service, action, args, region) {
    if (args !== undefined && (args === null || typeof args !== 'object' || ArrayIsArray(args))) {
      return PromiseCtor.reject(new TypeErrorCtor((service === null ? 'context.http' : "service '" + service + "'") + '.' + action
        + ' takes one argument document, e.g. { url: "https://example.com" }'));
    }
    return new PromiseCtor((resolve, reject) => {
      unwrap(bridge.service(service, action, toWireArgs(args === undefined ? {} : args), region === undefined ? null : region,
        (ok, payload) => {
          if (ok) resolve(fromWire(payload));
          else reject(new ErrorCtor(payload));
        }));
    });
  }
  function actions(bridge, service, names, region) {
    const client = {};
    for (const name of names) client[name] = (args) => callService(bridge, service, name, args, region);
    return ObjectFreeze(client);
  }
  const HTTP_ACTIONS = ['get', 'post', 'put', 'patch', 'delete', 'head'];
  // svc.s3(region).PutObject(args) calls the action 's3:PutObject': any method name is an AWS API action.
  function awsApi(bridge, service, prefix, region) {
    return new Proxy({}, {
      get(target, property) {
        if (typeof property !== 'string' || property === 'then') return undefined;
        return (args) => callService(bridge, service, prefix + ':' + property, args, region);
      }
    });
  }
  function awsClient(bridge, service) {
    const api = (prefix) => (region) => awsApi(bridge, service, prefix, region === undefined || region === null ? undefined : StringCtor(region));
    return new Proxy({}, {
      get(target, property) {
        if (typeof property !== 'string' || property === 'then') return undefined;
        return api(property);
      }
    });
  }
  function githubClient(name) {
    return new Proxy({}, {
      get(target, property) {
        if (typeof property !== 'string' || property === 'then') return undefined;
        return () => { throw new ErrorCtor("service '" + name + "' is a GitHub service: it has no actions a function can call"
          + ' (GitHub services only receive incoming webhooks)'); };
      }
    });
  }
  function getService(bridge, name) {
    const type = serviceTypes()[name];
    if (type === undefined) return undefined;
    switch (type) {
      case 'mongodb-atlas': case 'mongodb': return mongoClient(bridge, name);
      case 'http': return actions(bridge, name, HTTP_ACTIONS);
      case 'twilio': case 'gcm': case 'aws-ses': return actions(bridge, name, ['send']);
      case 'aws-s3': return actions(bridge, name, ['put', 'signPolicy']);
      case 'aws': return awsClient(bridge, name);
      case 'github': return githubClient(name);
    }
    throw new ErrorCtor("context.services.get('" + name + "'): services of type '" + type
      + "' are not available in Thimble functions (known types: mongodb-atlas, mongodb, http, twilio, aws, aws-s3, aws-ses, gcm, github)");
  }

  // ---------------------------------------------------------------- webhook and endpoint handlers
  // exports(payload, response): payload.body is a Binary with text() and json(); response collects
  // what the function sets, read back by the engine when the function has settled.
  function makeResponse() {
    const state = { statusCode: undefined, headers: [], body: undefined };
    const name = (n, what) => {
      if (typeof n !== 'string' || !HEADER_NAME.test(n)) {
        throw new TypeErrorCtor('response.' + what + ' needs a header name made of letters, digits and !#$%&\'*+-.^_`|~, not ' + inspect(n));
      }
      return n;
    };
    const text = (v, what) => {
      const s = StringCtor(v);
      if (/[\r\n\0]/.test(s)) throw new TypeErrorCtor('response.' + what + ': a header value may not contain line breaks');
      return s;
    };
    const response = ObjectFreeze({
      setStatusCode(code) {
        if (!NumberIsInteger(code) || code < 100 || code > 599) {
          throw new RangeErrorCtor('response.setStatusCode needs an HTTP status code from 100 to 599, not ' + inspect(code));
        }
        state.statusCode = code;
      },
      setBody(body) {
        if (typeof body === 'string') state.body = Binary.fromText(body);
        else if (body instanceof Binary) state.body = body;
        else if (body instanceof Uint8ArrayCtor || body instanceof ArrayBufferCtor) state.body = new Binary(body);
        else throw new TypeErrorCtor('response.setBody needs a string or a BSON.Binary; for an object, pass JSON.stringify(object)');
      },
      setHeader(n, value) {
        n = name(n, 'setHeader');
        const lower = n.toLowerCase();
        state.headers = state.headers.filter((h) => h[0].toLowerCase() !== lower);
        state.headers.push([n, text(value, 'setHeader')]);
      },
      addHeader(n, value) { state.headers.push([name(n, 'addHeader'), text(value, 'addHeader')]); }
    });
    RESPONSES.set(response, state);
    return response;
  }
  const RESPONSES = new WeakMap();
  const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  function prepareHandler(args) {
    const payload = args[0];
    if (payload !== null && typeof payload === 'object' && payload.body instanceof Binary) {
      const body = payload.body;
      ObjectDefineProperty(body, 'json', { value: () => JSONparse(body.text()), enumerable: false });
    }
    const response = makeResponse();
    args[1] = response;
    return response;
  }
  function responseWire(response) {
    const state = RESPONSES.get(response);
    const out = { headers: state.headers };
    if (state.statusCode !== undefined) out.statusCode = state.statusCode;
    if (state.body !== undefined) out.body = state.body;
    return toWireValue(out);
  }

  // The http client a context's calls (and the http built-in) send through: a symbol-keyed member of each context, so
  // the built-in finds the entry call's own client even when the function replaced context.http.
  const CONTEXT_HTTP = Symbol('thimble.contextHttp');
  // One object literal per call (a shape the engine prepares once, decision 0052): every member but `values` and
  // `runningAsSystem` is an accessor made on first use, as most calls read one or two of them. Each stays
  // assignable (a function may replace context.http in its own call) and enumerable, as the data properties were.
  const UNSET = Symbol('unset');
  function makeContext(bridge) {
    const system = bridge.system === true;
    let services = UNSET, functions = UNSET, http = UNSET, app = UNSET, environment = UNSET, request = UNSET, user = UNSET;
    let client; // the call's own http client, which the http built-in uses whatever the function assigns
    const httpClient = () => (client === undefined ? (client = actions(bridge, null, HTTP_ACTIONS)) : client);
    return {
      values: valuesApi,
      get services() {
        return services !== UNSET ? services
          : (services = ObjectFreeze({ get(name) { return getService(bridge, StringCtor(name)); } }));
      },
      set services(v) { services = v; },
      get functions() {
        return functions !== UNSET ? functions : (functions = ObjectFreeze({
          execute(name, ...args) {
            if (typeof name !== 'string') throw new TypeErrorCtor('context.functions.execute needs a function name (a string)');
            const fn = unwrap(bridge.resolveFunction(name, args));
            return ReflectApply(fn, undefined, args);
          }
        }));
      },
      set functions(v) { functions = v; },
      get http() { return http !== UNSET ? http : httpClient(); },
      set http(v) { http = v; },
      runningAsSystem() { return system; },
      get app() { return app !== UNSET ? app : appInfo(); },
      set app(v) { app = v; },
      get environment() { return environment !== UNSET ? environment : environmentInfo(); },
      set environment(v) { environment = v; },
      get request() { return request !== UNSET ? request : requestInfo(); },
      set request(v) { request = v; },
      get user() { return user !== UNSET ? user : (user = fromWire(bridge.userWire())); },
      set user(v) { user = v; },
      [CONTEXT_HTTP]: httpClient
    };
  }

  // ---------------------------------------------------------------- globals
  G.BSON = BSON;
  G.EJSON = EJSON;
  G.utils = utils;
  // set per entry call (setContext); a global from the start, so a call's end puts it back to undefined
  // rather than deleting a property the next call adds again (a reused realm's global object keeps its keys)
  G.context = undefined;
  ObjectDefineProperty(G, 'console', { value: consoleObject, writable: true, configurable: true, enumerable: false });

  // ---------------------------------------------------------------- require (CommonJS) and Node's globals
  // The host resolves (Node's algorithm over the built-in modules and the app's functions/node_modules,
  // read only) and hands back each file's code evaluated in this Context, parsed once per app version.
  // Modules are cached per realm: nested context.functions.execute calls share them, and a realm reused for
  // later calls of the app version keeps them (decision 0029), so a package is not evaluated per request.
  const moduleCache = new MapCtor();
  let currentHttp = null;
  const INTERNAL_HOST = ['hashBytes', 'hmacBytes', 'randomBytes', 'randomUUID', 'pbkdf2', 'cipherOpen', 'cipherAad',
    'cipherUpdate', 'cipherFinal', 'keyType', 'signBytes', 'verifyBytes', 'zlib'];
  // What built-in modules (and only they: the sixth wrapper parameter) may call on the host.
  const internals = ObjectFreeze({
    call(name, ...args) {
      if (!INTERNAL_HOST.includes(name)) throw new ErrorCtor('no host method ' + name);
      return unwrap(ReflectApply(host[name], host, args));
    },
    http(action, args) {
      if (currentHttp === null) return PromiseCtor.reject(new ErrorCtor('http: no context to send requests from'));
      return currentHttp()[action](args);
    },
    inspect(v) { return inspect(v); },
    get timers() { return timers; },
    binary(base64) { return Binary.fromBase64(base64, 0); }
  });
  function requireFrom(fromId, request, interop) {
    if (typeof request !== 'string') {
      const e = new TypeErrorCtor('The "id" argument must be of type string. Received ' + inspect(request));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    const id = unwrap(host.resolveModule(request, fromId === undefined ? null : fromId));
    const exports = loadModule(id);
    if (interop && !id.startsWith('node:') && !id.startsWith('builtin:')) withDefault(exports);
    return exports;
  }
  // `.default` interop: code transpiled from `import x from 'pkg'` reads require('pkg').default; a
  // CommonJS package without one answers itself there, as bundlers and App Services' transpiler did.
  function withDefault(exports) {
    if (exports !== null && (typeof exports === 'object' || typeof exports === 'function') && !('default' in exports)
        && Object.isExtensible(exports)) {
      try { ObjectDefineProperty(exports, 'default', { value: exports, enumerable: false, configurable: true, writable: true }); } catch (e) { /* frozen */ }
    }
  }
  function makeRequire(fromId) {
    const require = function require(request) { return requireFrom(fromId, request, false); };
    require.resolve = function resolve(request) { return unwrap(host.resolveModule(request, fromId)).replace(/^(app|builtin|node):/, ''); };
    require.cache = {};
    return require;
  }
  function loadModule(id) {
    const cached = moduleCache.get(id);
    if (cached !== undefined) return cached.exports;
    if (id === 'node:process') return processObject;
    if (id === 'node:console') return G.console;
    if (id === 'node:empty') return {};
    if (id.startsWith('node:')) {
      const exports = requireFrom('builtin:/lib/index.js', './' + id.slice(5) + '.js', false);
      moduleCache.set(id, { exports });
      return exports;
    }
    const path = id.slice(id.indexOf(':') + 1);
    const module = { id: path, filename: path, exports: {}, loaded: false, children: [], paths: [] };
    moduleCache.set(id, module);
    try {
      const code = unwrap(host.loadModule(id));
      if (typeof code === 'string') {
        module.exports = JSONparse(code);
      } else {
        const dir = path.slice(0, path.lastIndexOf('/')) || '/';
        const require = makeRequire(id);
        const args = [module.exports, require, module, path, dir];
        if (id.startsWith('builtin:')) args.push(internals);
        ReflectApply(code, module.exports, args);
      }
    } catch (e) {
      moduleCache.delete(id);
      throw e;
    }
    module.loaded = true;
    return module.exports;
  }
  function requireCore(name) { return loadModule('node:' + name); }

  // require in a function file resolves from functions/ (its node_modules), with the .default interop.
  const functionRequire = function require(request) { return requireFrom(null, request, true); };
  functionRequire.resolve = function resolve(request) { return unwrap(host.resolveModule(request, null)).replace(/^(app|builtin|node):/, ''); };
  functionRequire.cache = {};

  // Globals Node code expects. Each is writable (an app may install its own, e.g. a fetch polyfill), and
  // the ones backed by a module load it on first use: most functions never touch them.
  const lazyMakers = new MapCtor(); // a lazy global's maker, for lockdown's pinned accessor
  function lazyGlobal(name, make) {
    lazyMakers.set(name, make);
    ObjectDefineProperty(G, name, {
      get() { const v = make(); ObjectDefineProperty(G, name, { value: v, writable: true, configurable: true, enumerable: false }); return v; },
      set(v) { ObjectDefineProperty(G, name, { value: v, writable: true, configurable: true, enumerable: false }); },
      configurable: true, enumerable: false
    });
  }
  function writableGlobal(name, value) {
    ObjectDefineProperty(G, name, { value, writable: true, configurable: true, enumerable: false });
  }

  // Timers run on this execution's own queue (the host posts each when due): a function awaiting
  // `new Promise(r => setTimeout(r, ms))` waits as in Node; timers left when the result settles are dropped.
  const timersById = new MapCtor();
  let timerSeq = 0;
  class Timeout {
    constructor(callback, delay, args, repeat) {
      this._onTimeout = callback;
      this._idleTimeout = delay;
      this._args = args;
      this._repeat = repeat;
      this._id = ++timerSeq;
      this._cleared = false;
      timersById.set(this._id, this);
      this._arm();
    }
    _arm() {
      this._host = unwrap(host.setTimer(this._idleTimeout, () => {
        if (this._cleared) return;
        if (this._repeat) this._arm(); else timersById.delete(this._id);
        ReflectApply(this._onTimeout, this, this._args);
      }));
    }
    _clear() {
      if (this._cleared) return;
      this._cleared = true;
      timersById.delete(this._id);
      host.clearTimer(this._host);
    }
    ref() { return this; }
    unref() { return this; }
    hasRef() { return true; }
    refresh() { if (!this._cleared) { host.clearTimer(this._host); this._arm(); } return this; }
    [Symbol.toPrimitive]() { return this._id; }
  }
  class Immediate extends Timeout {}
  function timerDelay(ms) {
    const n = +ms;
    return n >= 1 && n <= 2147483647 ? MathTrunc(n) : 1;
  }
  function callbackArg(fn) {
    if (typeof fn !== 'function') {
      const e = new TypeErrorCtor('The "callback" argument must be of type function. Received ' + inspect(fn));
      e.code = 'ERR_INVALID_CALLBACK';
      throw e;
    }
    return fn;
  }
  function clearTimer(t) {
    if (t instanceof Timeout) t._clear();
    else if (typeof t === 'number' || typeof t === 'string') { const found = timersById.get(+t); if (found) found._clear(); }
  }
  const timers = ObjectFreeze({
    setTimeout(fn, ms, ...args) { return new Timeout(callbackArg(fn), timerDelay(ms), args, false); },
    setInterval(fn, ms, ...args) { return new Timeout(callbackArg(fn), timerDelay(ms), args, true); },
    setImmediate(fn, ...args) { return new Immediate(callbackArg(fn), 0, args, false); },
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    clearImmediate: clearTimer
  });
  for (const name of ObjectKeys(timers)) writableGlobal(name, timers[name]);

  const queueMicro = typeof G.queueMicrotask === 'function' ? G.queueMicrotask
    : (fn) => { ReflectApply(PromiseThen, PromiseResolve(), [fn]); };
  if (typeof G.queueMicrotask !== 'function') writableGlobal('queueMicrotask', queueMicro);
  const startedAt = DateCtor.now();
  function hrtime(previous) {
    const ms = DateCtor.now() - startedAt;
    let s = MathTrunc(ms / 1000), ns = MathTrunc((ms % 1000) * 1e6);
    if (ArrayIsArray(previous)) {
      s -= previous[0]; ns -= previous[1];
      if (ns < 0) { s -= 1; ns += 1e9; }
    }
    return [s, ns];
  }
  hrtime.bigint = () => BigIntCtor(DateCtor.now() - startedAt) * 1000000n;
  function notInFunctions(what) {
    return function () { throw new ErrorCtor(what + ' is not available in Thimble functions'); };
  }
  const noListeners = function () { return processObject; };
  // App Services documented process as partial (hrtime, nextTick, version, versions); the rest are
  // harmless answers packages read while loading. env is empty: an app's settings are in context.values.
  const processObject = {
    title: 'thimble', version: 'v10.18.1', versions: ObjectFreeze({ node: '10.18.1', modules: '64' }),
    release: ObjectFreeze({ name: 'node' }), platform: 'linux', arch: 'x64', pid: 1, ppid: 0, argv: ['node'], execArgv: [],
    env: {}, config: { variables: {} }, exitCode: undefined,
    nextTick(fn, ...args) { callbackArg(fn); queueMicro(() => ReflectApply(fn, undefined, args)); },
    hrtime,
    uptime() { return (DateCtor.now() - startedAt) / 1000; },
    cwd() { return '/'; },
    umask() { return 0o22; },
    memoryUsage() { return { rss: 0, heapTotal: 0, heapUsed: 0, external: 0 }; },
    cpuUsage() { return { user: 0, system: 0 }; },
    emitWarning(warning) { consoleObject.warn(typeof warning === 'string' ? 'Warning: ' + warning : warning); },
    binding: notInFunctions('process.binding'),
    dlopen: notInFunctions('process.dlopen'),
    exit: notInFunctions('process.exit'),
    abort: notInFunctions('process.abort'),
    kill: notInFunctions('process.kill'),
    chdir: notInFunctions('process.chdir'),
    on: noListeners, once: noListeners, off: noListeners, addListener: noListeners, removeListener: noListeners,
    removeAllListeners: noListeners, prependListener: noListeners, setMaxListeners: noListeners,
    emit() { return false; }, listeners() { return []; }, listenerCount() { return 0; },
    stdout: { write(s) { consoleObject.log(StringCtor(s).replace(/\n$/, '')); return true; }, isTTY: false, fd: 1 },
    stderr: { write(s) { consoleObject.error(StringCtor(s).replace(/\n$/, '')); return true; }, isTTY: false, fd: 2 }
  };
  ObjectDefineProperty(processObject, Symbol.toStringTag, { value: 'process' });

  writableGlobal('require', functionRequire);
  writableGlobal('process', processObject);
  writableGlobal('global', G);
  lazyGlobal('Buffer', () => requireCore('buffer').Buffer);
  lazyGlobal('URL', () => requireCore('url').URL);
  lazyGlobal('URLSearchParams', () => requireCore('url').URLSearchParams);
  if (typeof G.TextEncoder !== 'function') lazyGlobal('TextEncoder', () => requireCore('util').TextEncoder);
  if (typeof G.TextDecoder !== 'function') lazyGlobal('TextDecoder', () => requireCore('util').TextDecoder);
  if (typeof G.btoa !== 'function') writableGlobal('btoa', (s) => requireCore('buffer').Buffer.from(StringCtor(s), 'latin1').toString('base64'));
  if (typeof G.atob !== 'function') writableGlobal('atob', (s) => requireCore('buffer').Buffer.from(StringCtor(s), 'base64').toString('latin1'));

  function errorInfo(e) {
    if (e instanceof ErrorCtor || (e !== null && typeof e === 'object' && typeof e.message === 'string' && typeof e.stack === 'string')) {
      return JSONstringify({ name: StringCtor(e.name || 'Error'), message: StringCtor(e.message), stack: StringCtor(e.stack || '') });
    }
    return JSONstringify({ name: 'Error', message: inspect(e), stack: '', thrown: true });
  }

  // ---------------------------------------------------------------- realm reuse (decision 0030)
  // A realm serves one call after another of one app version. lockdown() freezes what every call shares
  // (the intrinsics, their global bindings, Thimble's globals); beginCall/endCall reset what a call may
  // change: the globals it created or replaced, the request it read, its timers, its context.
  const ReflectOwnKeys = Reflect.ownKeys;
  const ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const ObjectIsFrozen = Object.isFrozen;
  const ObjectPreventExtensions = Object.preventExtensions;
  // Names code commonly assigns on its own objects that inherit them from a frozen prototype (a class's
  // toString, an error's name, `Sub.prototype.constructor = Sub`): on every frozen object they become
  // accessors whose setter defines the property on the instance, so such assignments still work (a
  // frozen data property would refuse them: silently in sloppy code, with a TypeError in strict code).
  const TAMED = ['constructor', 'toString', 'toLocaleString', 'valueOf', 'toJSON', 'name', 'message', 'hasOwnProperty',
    'isPrototypeOf', 'propertyIsEnumerable', Symbol.iterator, Symbol.asyncIterator];
  function tame(o, names) {
    for (const name of names) {
      const d = ObjectGetOwnPropertyDescriptor(o, name);
      if (d === undefined || !('value' in d) || !d.writable || !d.configurable) continue;
      const value = d.value;
      ObjectDefineProperty(o, name, {
        get() { return value; },
        set(v) {
          if (this === o || this === null || this === undefined || (typeof this !== 'object' && typeof this !== 'function')) return;
          ObjectDefineProperty(this, name, { value: v, writable: true, enumerable: true, configurable: true });
        },
        enumerable: d.enumerable, configurable: false
      });
    }
  }
  function harden(roots) {
    const seen = new SetCtor();
    const stack = roots.slice();
    while (stack.length > 0) {
      const o = stack.pop();
      if (o === null || (typeof o !== 'object' && typeof o !== 'function') || o === G || seen.has(o)) continue;
      seen.add(o);
      if (typeof o === 'object') tame(o, TAMED);
      try { ObjectFreeze(o); } catch (e) { ObjectPreventExtensions(o); } // a typed array with elements cannot be frozen
      stack.push(ObjectGetPrototypeOf(o));
      for (const key of ReflectOwnKeys(o)) {
        const d = ObjectGetOwnPropertyDescriptor(o, key);
        if (d === undefined) continue;
        if ('value' in d) stack.push(d.value); else { stack.push(d.get); stack.push(d.set); }
      }
    }
  }
  // Static members of the standard constructors and namespaces (Date.now, Math.random, JSON.stringify, …):
  // npm packages polyfill or tune them when they load or run (`Date.now = Date.now || …` in bcryptjs, joi
  // setting Error.stackTraceLimit around a capture). Frozen, those assignments would throw in strict code.
  // Tamed, an assignment holds for the running call only: endCall forgets it, so the next call sees the
  // original (restore, not freeze). An assignment through a subclass (`MyDate.now = …`) defines the
  // property on the subclass, as it would unfrozen.
  let staticOverrides = null; // Map<object, Map<key, value>> of the running call, or null when none
  function tameStatics(o) {
    for (const key of ReflectOwnKeys(o)) {
      const d = ObjectGetOwnPropertyDescriptor(o, key);
      if (d === undefined || !('value' in d) || !d.writable || !d.configurable) continue;
      const value = d.value;
      ObjectDefineProperty(o, key, {
        get() {
          if (staticOverrides !== null) {
            const changed = staticOverrides.get(o);
            if (changed !== undefined && changed.has(key)) return changed.get(key);
          }
          return value;
        },
        set(v) {
          if (this !== o) {
            if (this !== null && this !== undefined && (typeof this === 'object' || typeof this === 'function')) {
              ObjectDefineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
            }
            return;
          }
          if (staticOverrides === null) staticOverrides = new MapCtor();
          let changed = staticOverrides.get(o);
          if (changed === undefined) { changed = new MapCtor(); staticOverrides.set(o, changed); }
          changed.set(key, v);
        },
        enumerable: d.enumerable, configurable: false
      });
    }
  }
  // V8's knob, which packages read, set and restore: every realm has it as Node does (GraalJS has no such
  // property, and a locked-down Error could not be given one by a package)
  if (ObjectGetOwnPropertyDescriptor(ErrorCtor, 'stackTraceLimit') === undefined) {
    ObjectDefineProperty(ErrorCtor, 'stackTraceLimit', { value: 10, writable: true, enumerable: true, configurable: true });
  }
  // Thimble's replaceable globals (require, process, Buffer, console, context, timers, …) become accessors of the global
  // object that cannot be deleted or redefined (decision 0052): an assignment holds for the running call only and
  // endCall forgets it, as with the statics above, so putting them back costs nothing when a call changed none. (0030
  // compared each one's descriptor after every call: in the interpreter that was most of a trivial call's cost.)
  const globalOverrides = new MapCtor(); // key -> value a running call assigned
  let contextGlobal; // `context`: set per entry call
  function pinGlobal(key, d) {
    const make = lazyMakers.get(key);
    let made = 'value' in d, base = d.value;
    const original = () => {
      if (!made) { base = make !== undefined ? make() : ReflectApply(d.get, G, []); made = true; }
      return base;
    };
    const isContext = key === 'context';
    const pinned = {
      get() {
        if (isContext) return contextGlobal;
        return globalOverrides.size !== 0 && globalOverrides.has(key) ? globalOverrides.get(key) : original();
      },
      set(v) {
        if (this !== G) { // an object inheriting from the global object gets its own property, as it would unpinned
          if (this !== null && this !== undefined && (typeof this === 'object' || typeof this === 'function')) {
            ObjectDefineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
          }
          return;
        }
        if (isContext) contextGlobal = v; else globalOverrides.set(key, v);
      },
      enumerable: d.enumerable, configurable: false
    };
    // reachable through the global's descriptor: frozen, or a call could leave something on them for the next
    ObjectFreeze(pinned.get);
    ObjectFreeze(pinned.set);
    ObjectDefineProperty(G, key, pinned);
  }
  function lockdown() {
    // Prototypes that code extends ES5-style, assigning its own methods over inherited ones (the buffer
    // package over Uint8Array's, error classes over Error's): every method of theirs is tamed.
    const TypedArrayPrototype = ObjectGetPrototypeOf(Int8Array.prototype);
    const extended = [ObjectPrototype, Function.prototype, TypedArrayPrototype];
    for (const E of [ErrorCtor, TypeErrorCtor, RangeErrorCtor, SyntaxError, ReferenceError, EvalError, URIError]) extended.push(E.prototype);
    for (const T of [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array,
      Float64Array, BigInt64Array, BigUint64Array]) extended.push(T.prototype);
    for (const o of extended) if (o !== null) tame(o, ReflectOwnKeys(o));
    const roots = [ObjectPrototype, Function.prototype,
      ObjectGetPrototypeOf(function* () {}), ObjectGetPrototypeOf(async function () {}), ObjectGetPrototypeOf(async function* () {}),
      ObjectGetPrototypeOf([][Symbol.iterator]()), ObjectGetPrototypeOf(new MapCtor()[Symbol.iterator]()),
      ObjectGetPrototypeOf(new SetCtor()[Symbol.iterator]()), ObjectGetPrototypeOf(''[Symbol.iterator]()),
      ObjectGetPrototypeOf(/a/[Symbol.matchAll]('a')), ObjectGetPrototypeOf(Int8Array)];
    for (const key of ReflectOwnKeys(G)) {
      const d = ObjectGetOwnPropertyDescriptor(G, key);
      if ('value' in d) roots.push(d.value); else { roots.push(d.get); roots.push(d.set); }
      if ('value' in d && !THIMBLE_GLOBALS.has(key) && d.value !== null
          && (typeof d.value === 'function' || typeof d.value === 'object') && d.value !== G) {
        tameStatics(d.value);
      }
      if (d.configurable && (d.writable || !('value' in d)) && THIMBLE_GLOBALS.has(key)) {
        pinGlobal(key, d);
      } else if (d.configurable) {
        // a standard global binding (Array, JSON, …) is fixed: a call that replaced it would change it for the next
        ObjectDefineProperty(G, key, 'value' in d ? { writable: false, configurable: false } : { configurable: false });
      }
    }
    harden(roots);
  }
  const THIMBLE_GLOBALS = new SetCtor(['context', 'require', 'process', 'global', 'Buffer', 'URL', 'URLSearchParams', 'TextEncoder',
    'TextDecoder', 'btoa', 'atob', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval',
    'clearImmediate', 'queueMicrotask', 'console', 'BSON', 'EJSON', 'utils', 'fetch']);
  let baselineKeys = null;
  function beginCall() {
    requestInfo = memo(() => fromWire(host.requestWire()));
    timersById.clear();
    if (baselineKeys === null) baselineKeys = new SetCtor(ReflectOwnKeys(G));
  }
  // Puts the global object back as the call found it; false if it cannot (the realm must then not be reused).
  function endCall() {
    currentHttp = null;
    entryContext = undefined;
    entryExports = undefined;
    timersById.clear();
    staticOverrides = null;
    if (globalOverrides.size !== 0) globalOverrides.clear();
    contextGlobal = undefined;
    let clean = true;
    // standard and Thimble's globals cannot be deleted in a locked realm: the same count means no key was added
    const keys = ReflectOwnKeys(G);
    if (keys.length === baselineKeys.size) return true;
    for (const key of keys) {
      if (!baselineKeys.has(key) && !ReflectDeleteProperty(G, key)) clean = false;
    }
    return clean && ReflectOwnKeys(G).length === baselineKeys.size;
  }
  const ReflectDeleteProperty = Reflect.deleteProperty;
  function isThenable(v) { return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function'; }
  // run: fn(...args) as ctx; the outcome goes to onOk / onErr, at once for a plain value, once settled for a
  // thenable. The http built-in sends as the entry call's identity: set per entry call, so a realm reused for
  // another request (issue 18) never sends through an earlier request's context.
  function runCall(ctx, fn, args, onOk, onErr, endEarly) {
    G.context = ctx;
    currentHttp = ctx[CONTEXT_HTTP] || null;
    const r = ReflectApply(fn, undefined, args);
    // the outcome's typeof goes along: the host converts a number, string or boolean itself (decision 0047)
    if (isThenable(r)) { ReflectApply(PromiseThen, PromiseResolve(r), [(v) => onOk(v, typeof v), onErr]); return; }
    const type = typeof r;
    if (endEarly && (type === 'number' || type === 'string' || type === 'boolean')) onOk(r, type, endCall());
    else onOk(r, type);
  }
  let entryContext, entryExports;
  function enterWith(bridge, factory, args, onOk, onErr) {
    const ctx = makeContext(bridge);
    entryContext = ctx;
    const fn = factory(ctx);
    if (typeof fn !== 'function') return fn;
    entryExports = fn;
    runCall(ctx, fn, args, onOk, onErr, true);
    return fn;
  }

  return {
    lockdown,
    beginCall,
    endCall,
    makeContext,
    prepareHandler,
    responseWire,
    fromWire,
    toWireValue,
    apply(fn, args) { return ReflectApply(fn, undefined, args); },
    isFunction(v) { return typeof v === 'function'; },
    isThenable,
    settle(v, onOk, onErr) { ReflectApply(PromiseThen, PromiseResolve(v), [onOk, onErr]); },
    errorInfo,
    // One call into the realm per step of an entry call (each crossing costs, decision 0042).
    // begin: the call starts; its arguments from their wire text.
    begin(argumentsWire) { beginCall(); return fromWire(argumentsWire); },
    // beginPlain: the same for arguments that are all numbers, strings, booleans or null (the host passes them as
    // they are: what fromWire would make of them, without the text; decision 0047).
    beginPlain(...args) { beginCall(); return args; },
    run(ctx, fn, args, onOk, onErr) { runCall(ctx, fn, args, onOk, onErr, false); },
    // enter / enterPlain: an entry call in one crossing (decision 0052): begin, the caller's context, the function's
    // module instance (its wrapper run with that context: module-level variables still start afresh), run. Answers
    // the module's exports (the host reports a non-function). A primitive result ends the call at once (endCall's
    // answer goes along to onOk), saving the host its own crossing for the reset.
    enter(bridge, factory, onOk, onErr, argumentsWire) {
      beginCall();
      return enterWith(bridge, factory, fromWire(argumentsWire), onOk, onErr);
    },
    enterPlain(bridge, factory, onOk, onErr, ...args) {
      beginCall();
      return enterWith(bridge, factory, args, onOk, onErr);
    },
    // what enter made, for the host's nested calls of the same function and identity during the call
    entryContext() { return entryContext; },
    entryExports() { return entryExports; }
  };
})
