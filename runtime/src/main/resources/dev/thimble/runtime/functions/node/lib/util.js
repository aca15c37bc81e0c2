'use strict';
// Node's util: the npm "util" package 0.11 (MIT, vendored: format, inspect, inherits, promisify,
// callbackify, deprecate, the is* checks) plus util.types and isDeepStrictEqual. TextEncoder and
// TextDecoder stay out, as in App Services.
const base = require('util/');
const util = Object.assign({}, base);
const toString = Object.prototype.toString;
const tag = (v) => toString.call(v).slice(8, -1);
const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedTag = Object.getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get;
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor;
util.types = {
  isDate: (v) => v instanceof Date,
  isRegExp: (v) => v instanceof RegExp,
  isPromise: (v) => v instanceof Promise,
  isMap: (v) => v instanceof Map,
  isSet: (v) => v instanceof Set,
  isWeakMap: (v) => v instanceof WeakMap,
  isWeakSet: (v) => typeof WeakSet === 'function' && v instanceof WeakSet,
  isNativeError: (v) => v instanceof Error,
  isArrayBuffer: (v) => v instanceof ArrayBuffer,
  isAnyArrayBuffer: (v) => v instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer),
  isSharedArrayBuffer: (v) => typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer,
  isDataView: (v) => v instanceof DataView,
  isArrayBufferView: (v) => ArrayBuffer.isView(v),
  isTypedArray: (v) => typedTag.call(v) !== undefined,
  isUint8Array: (v) => typedTag.call(v) === 'Uint8Array',
  isUint8ClampedArray: (v) => typedTag.call(v) === 'Uint8ClampedArray',
  isUint16Array: (v) => typedTag.call(v) === 'Uint16Array',
  isUint32Array: (v) => typedTag.call(v) === 'Uint32Array',
  isInt8Array: (v) => typedTag.call(v) === 'Int8Array',
  isInt16Array: (v) => typedTag.call(v) === 'Int16Array',
  isInt32Array: (v) => typedTag.call(v) === 'Int32Array',
  isFloat32Array: (v) => typedTag.call(v) === 'Float32Array',
  isFloat64Array: (v) => typedTag.call(v) === 'Float64Array',
  isBigInt64Array: (v) => typedTag.call(v) === 'BigInt64Array',
  isBigUint64Array: (v) => typedTag.call(v) === 'BigUint64Array',
  isAsyncFunction: (v) => v instanceof AsyncFunction,
  isGeneratorFunction: (v) => v instanceof GeneratorFunction,
  isGeneratorObject: (v) => tag(v) === 'Generator',
  isMapIterator: (v) => tag(v) === 'Map Iterator',
  isSetIterator: (v) => tag(v) === 'Set Iterator',
  isBoxedPrimitive: (v) => v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof Symbol || v instanceof BigInt,
  isNumberObject: (v) => v instanceof Number,
  isStringObject: (v) => v instanceof String,
  isBooleanObject: (v) => v instanceof Boolean,
  isSymbolObject: (v) => typeof v === 'object' && v instanceof Symbol,
  isProxy: () => false,
  isExternal: () => false,
  isModuleNamespaceObject: () => false,
  isArgumentsObject: (v) => tag(v) === 'Arguments'
};
util.inspect = base.inspect;
if (!util.inspect.custom) util.inspect.custom = Symbol.for('nodejs.util.inspect.custom');
if (!util.promisify.custom) util.promisify.custom = Symbol.for('nodejs.util.promisify.custom');
util.isDeepStrictEqual = (a, b) => require('assert').isDeepStrictEqualInternal(a, b);
// TextEncoder and TextDecoder: App Services left them out, but current packages (axios 1.7+, joi 17)
// construct one while loading, so Thimble offers the WHATWG classes (UTF-8, UTF-16LE and Latin-1).
const { Buffer } = require('buffer');
class TextEncoder {
  get encoding() { return 'utf-8'; }
  encode(input) { const b = Buffer.from(input === undefined ? '' : String(input), 'utf8'); return new Uint8Array(b.buffer, b.byteOffset, b.length); }
  encodeInto(input, dest) {
    const b = Buffer.from(String(input), 'utf8');
    let n = Math.min(b.length, dest.length);
    while (n > 0 && n < b.length && (b[n] & 0xc0) === 0x80) n--; // never split a character
    dest.set(b.subarray(0, n));
    return { read: b.subarray(0, n).toString('utf8').length, written: n };
  }
}
const DECODINGS = { 'utf-8': 'utf8', utf8: 'utf8', 'unicode-1-1-utf-8': 'utf8', 'utf-16le': 'utf16le', 'utf-16': 'utf16le',
  latin1: 'latin1', 'iso-8859-1': 'latin1', 'us-ascii': 'latin1', ascii: 'latin1', 'windows-1252': 'latin1' };
class TextDecoder {
  constructor(label, options) {
    const name = String(label === undefined ? 'utf-8' : label).trim().toLowerCase();
    if (!DECODINGS[name]) { const e = new RangeError('The "' + label + '" encoding is not supported'); e.code = 'ERR_ENCODING_NOT_SUPPORTED'; throw e; }
    this._encoding = DECODINGS[name];
    this._fatal = !!(options && options.fatal);
    this._ignoreBOM = !!(options && options.ignoreBOM);
    this._decoder = null;
  }
  get encoding() { return this._encoding === 'utf8' ? 'utf-8' : this._encoding === 'utf16le' ? 'utf-16le' : 'windows-1252'; }
  get fatal() { return this._fatal; }
  get ignoreBOM() { return this._ignoreBOM; }
  decode(input, options) {
    const bytes = input === undefined ? Buffer.alloc(0) : ArrayBuffer.isView(input) ? Buffer.from(input.buffer, input.byteOffset, input.byteLength) : Buffer.from(input);
    if (!this._decoder) this._decoder = new (require('string_decoder').StringDecoder)(this._encoding);
    let text = this._decoder.write(bytes);
    if (!(options && options.stream)) { text += this._decoder.end(); this._decoder = null; }
    if (this._fatal && text.includes('\ufffd')) { const e = new TypeError('The encoded data was not valid for encoding ' + this.encoding); e.code = 'ERR_ENCODING_INVALID_ENCODED_DATA'; throw e; }
    if (!this._ignoreBOM && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text;
  }
}
util.TextEncoder = TextEncoder;
util.TextDecoder = TextDecoder;
if (!util.debuglog) util.debuglog = () => function () {};
util.debug = util.debuglog;
module.exports = util;
