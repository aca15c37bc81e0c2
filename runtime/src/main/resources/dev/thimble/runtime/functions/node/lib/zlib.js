'use strict';
// Node's zlib over the JDK's Deflater/Inflater and GZIP streams: the *Sync forms, the callback forms,
// and the create* streams (which process the whole input when it ends). Brotli is not offered (the JDK
// has no Brotli), so packages that probe for it fall back to gzip and deflate.
const { Buffer } = require('buffer');
const { Transform } = require('stream');
const call = thimble.call;

const constants = Object.freeze({ Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5,
  Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3, Z_BUF_ERROR: -5,
  Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1, Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2,
  Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0, Z_DEFAULT_CHUNK: 16384, Z_DEFAULT_LEVEL: -1, Z_DEFAULT_WINDOWBITS: 15,
  Z_DEFAULT_MEMLEVEL: 8 });

function input(data) {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (Buffer.isBuffer(data)) return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  const e = new TypeError('The "buffer" argument must be of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer. Received ' + thimble.inspect(data));
  e.code = 'ERR_INVALID_ARG_TYPE';
  throw e;
}
function run(op, data, options) {
  const level = options && typeof options.level === 'number' ? options.level : -1;
  try {
    return Buffer.from(call('zlib', op, input(data).toString('latin1'), level), 'latin1');
  } catch (e) {
    if (!e.code) { e.code = 'Z_DATA_ERROR'; e.errno = -3; }
    throw e;
  }
}

class ZlibStream extends Transform {
  constructor(op, options) {
    super(options);
    this._op = op;
    this._zlibOptions = options;
    this._chunks = [];
    this.bytesWritten = 0;
  }
  _transform(chunk, encoding, callback) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    this._chunks.push(b);
    this.bytesWritten += b.length;
    callback();
  }
  _flush(callback) {
    let result;
    try { result = run(this._op, Buffer.concat(this._chunks), this._zlibOptions); } catch (e) { callback(e); return; }
    this._chunks = [];
    callback(null, result);
  }
  close(callback) { if (callback) process.nextTick(callback); this.destroy(); }
  flush(kind, callback) { if (typeof kind === 'function') callback = kind; if (callback) process.nextTick(callback); }
  params(level, strategy, callback) { if (callback) process.nextTick(callback); }
  reset() { this._chunks = []; }
}

const OPS = { Deflate: 'deflate', Inflate: 'inflate', DeflateRaw: 'deflateRaw', InflateRaw: 'inflateRaw', Gzip: 'gzip', Gunzip: 'gunzip', Unzip: 'unzip' };
const zlib = { constants, codes: { Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3, Z_BUF_ERROR: -5 } };
Object.assign(zlib, constants);
for (const [cls, op] of Object.entries(OPS)) {
  const C = { [cls]: class extends ZlibStream { constructor(options) { super(op, options); } } }[cls];
  zlib[cls] = C;
  zlib['create' + cls] = (options) => new C(options);
  zlib[op + 'Sync'] = (data, options) => run(op, data, options);
  zlib[op] = (data, options, callback) => {
    if (typeof options === 'function') { callback = options; options = undefined; }
    if (typeof callback !== 'function') throw new TypeError('The "callback" argument must be of type function');
    let result, error = null;
    try { result = run(op, data, options); } catch (e) { error = e; }
    process.nextTick(() => (error ? callback(error) : callback(null, result)));
  };
}
module.exports = zlib;
