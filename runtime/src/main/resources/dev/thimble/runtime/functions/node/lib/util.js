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
util.TextEncoder = undefined;
util.TextDecoder = undefined;
delete util.TextEncoder;
delete util.TextDecoder;
if (!util.debuglog) util.debuglog = () => function () {};
util.debug = util.debuglog;
module.exports = util;
