'use strict';
// Node's crypto, backed by the JDK through a narrow host bridge (hashes, HMACs, random bytes, PBKDF2,
// AES ciphers, RSA/ECDSA signatures); only the plumbing is JavaScript. Bytes cross as Latin-1 strings.
const { Buffer } = require('buffer');
const call = thimble.call;
const latin1 = (buf) => buf.toString('latin1');
const fromLatin1 = (s) => Buffer.from(s, 'latin1');

function invalidArg(name, value) {
  const e = new TypeError('The "' + name + '" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ' + thimble.inspect(value));
  e.code = 'ERR_INVALID_ARG_TYPE';
  return e;
}
function toBuffer(data, encoding, name) {
  if (typeof data === 'string') return Buffer.from(data, encoding && encoding !== 'buffer' ? encoding : 'utf8');
  if (Buffer.isBuffer(data)) return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  throw invalidArg(name || 'data', data);
}
function out(buf, encoding) { return encoding && encoding !== 'buffer' ? buf.toString(encoding) : buf; }

// ---------------------------------------------------------------- keys
const SECRET = Symbol('secret');
class KeyObject {
  constructor(type, material, asymmetricKeyType) {
    if (type !== 'secret' && type !== 'public' && type !== 'private') throw new TypeError('invalid KeyObject type ' + type);
    this[SECRET] = material;
    Object.defineProperty(this, 'type', { value: type, enumerable: true });
    if (asymmetricKeyType) Object.defineProperty(this, 'asymmetricKeyType', { value: asymmetricKeyType, enumerable: true });
  }
  get symmetricKeySize() { return this.type === 'secret' ? this[SECRET].length : undefined; }
  export(options) {
    if (this.type === 'secret') return fromLatin1(this[SECRET]);
    if (this[SECRET].derived) throw new Error('exporting a public key derived from a private key is not available in Thimble functions');
    return this[SECRET].pem;
  }
  equals(other) { return other instanceof KeyObject && other.type === this.type && latin1(Buffer.from(String(other[SECRET].pem || other[SECRET]))) === latin1(Buffer.from(String(this[SECRET].pem || this[SECRET]))); }
}
function pemOf(key, name) {
  if (key instanceof KeyObject) return key;
  if (key !== null && typeof key === 'object' && !ArrayBuffer.isView(key) && key.key !== undefined) return pemOf(key.key, name);
  if (typeof key === 'string') return key;
  if (ArrayBuffer.isView(key)) return toBuffer(key).toString('utf8');
  throw invalidArg(name || 'key', key);
}
function createSecretKey(key, encoding) { return new KeyObject('secret', latin1(toBuffer(key, encoding, 'key'))); }
function createPrivateKey(key) {
  const pem = pemOf(key, 'key');
  if (pem instanceof KeyObject) { if (pem.type !== 'private') throw new TypeError('Invalid key object type ' + pem.type + ', expected private.'); return pem; }
  return new KeyObject('private', { pem }, call('keyType', pem, true));
}
function createPublicKey(key) {
  const pem = pemOf(key, 'key');
  if (pem instanceof KeyObject) {
    if (pem.type === 'public') return pem;
    if (pem.type === 'private') return new KeyObject('public', { pem: pem[SECRET].pem, derived: true }, pem.asymmetricKeyType);
    throw new TypeError('Invalid key object type secret, expected private or public.');
  }
  const derived = /-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem);
  return new KeyObject('public', { pem, derived }, call('keyType', pem, !derived ? false : true));
}
function keyMaterial(key, name) {
  if (key instanceof KeyObject) {
    if (key.type !== 'secret') throw new TypeError('Invalid key object type ' + key.type + ', expected secret.');
    return key[SECRET];
  }
  return latin1(toBuffer(key, undefined, name || 'key'));
}
function asymmetric(key) {
  const pem = pemOf(key, 'key');
  if (pem instanceof KeyObject) {
    if (pem.type === 'secret') throw new TypeError('Invalid key object type secret, expected private or public.');
    return pem[SECRET].pem;
  }
  return pem;
}

// ---------------------------------------------------------------- hashes and HMACs
class Hash {
  constructor(algorithm, key) {
    this._algorithm = String(algorithm);
    this._key = key;
    this._chunks = [];
    this._done = false;
    if (key === undefined) call('hashBytes', this._algorithm, ''); // unknown algorithms fail here, as in Node
  }
  update(data, encoding) {
    if (this._done) { const e = new Error('Digest already called'); e.code = 'ERR_CRYPTO_HASH_FINALIZED'; throw e; }
    this._chunks.push(latin1(toBuffer(data, encoding)));
    return this;
  }
  digest(encoding) {
    if (this._done) { const e = new Error('Digest already called'); e.code = 'ERR_CRYPTO_HASH_FINALIZED'; throw e; }
    this._done = true;
    const data = this._chunks.join('');
    const result = this._key === undefined ? call('hashBytes', this._algorithm, data) : call('hmacBytes', this._algorithm, this._key, data);
    return out(fromLatin1(result), encoding);
  }
  copy() { const c = Object.create(Object.getPrototypeOf(this)); Object.assign(c, this, { _chunks: this._chunks.slice() }); return c; }
}
class Hmac extends Hash {
  constructor(algorithm, key) {
    super(algorithm, keyMaterial(key, 'key'));
    call('hmacBytes', this._algorithm, this._key, '');
  }
}
const createHash = (algorithm) => new Hash(algorithm);
const createHmac = (algorithm, key) => new Hmac(algorithm, key);

// ---------------------------------------------------------------- random
function randomBytes(size, callback) {
  if (typeof size !== 'number' || size < 0 || size !== Math.floor(size)) {
    const e = new TypeError('The "size" argument must be of type number. Received ' + thimble.inspect(size));
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  const bytes = fromLatin1(call('randomBytes', size));
  if (typeof callback === 'function') { process.nextTick(callback, null, bytes); return undefined; }
  return bytes;
}
function randomFillSync(buffer, offset, size) {
  const view = toBuffer(buffer, undefined, 'buf');
  offset = offset === undefined ? 0 : offset;
  size = size === undefined ? view.length - offset : size;
  fromLatin1(call('randomBytes', size)).copy(view, offset);
  return buffer;
}
function randomFill(buffer, offset, size, callback) {
  if (typeof offset === 'function') { callback = offset; offset = undefined; size = undefined; }
  else if (typeof size === 'function') { callback = size; size = undefined; }
  randomFillSync(buffer, offset, size);
  process.nextTick(callback, null, buffer);
}
function randomInt(min, max, callback) {
  if (max === undefined || typeof max === 'function') { callback = max; max = min; min = 0; }
  const range = max - min;
  if (!(range > 0) || range > 2 ** 48) throw new RangeError('The value of "max" is out of range. It must be greater than the value of "min" (' + min + ').');
  const limit = 2 ** 48 - (2 ** 48 % range);
  let x;
  do { x = fromLatin1(call('randomBytes', 6)).readUIntBE(0, 6); } while (x >= limit);
  const n = min + (x % range);
  if (typeof callback === 'function') { process.nextTick(callback, null, n); return undefined; }
  return n;
}
const randomUUID = () => call('randomUUID');

// ---------------------------------------------------------------- PBKDF2
function pbkdf2Sync(password, salt, iterations, keylen, digest) {
  return fromLatin1(call('pbkdf2', latin1(toBuffer(password, undefined, 'password')), latin1(toBuffer(salt, undefined, 'salt')),
    iterations, keylen, digest === undefined ? 'sha1' : String(digest)));
}
function pbkdf2(password, salt, iterations, keylen, digest, callback) {
  if (typeof digest === 'function') { callback = digest; digest = undefined; }
  if (typeof callback !== 'function') throw new TypeError('The "callback" argument must be of type function');
  let result, error = null;
  try { result = pbkdf2Sync(password, salt, iterations, keylen, digest); } catch (e) { error = e; }
  process.nextTick(() => (error ? callback(error) : callback(null, result)));
}

// ---------------------------------------------------------------- ciphers
const KEY_BYTES = { 128: 16, 192: 24, 256: 32 };
class Cipher {
  constructor(algorithm, key, iv, options, encrypt) {
    this._algorithm = String(algorithm).toLowerCase();
    this._encrypt = encrypt;
    this._key = latin1(key instanceof KeyObject ? fromLatin1(key[SECRET]) : toBuffer(key, undefined, 'key'));
    this._iv = iv === null || iv === undefined ? '' : latin1(toBuffer(iv, undefined, 'iv'));
    this._gcm = /gcm$/.test(this._algorithm);
    this._tagLength = options && options.authTagLength ? options.authTagLength : 16;
    this._autoPadding = true;
    this._handle = null;
    this._authTag = undefined;
    this._decoder = null;
  }
  _open() {
    if (this._handle === null) this._handle = call('cipherOpen', this._algorithm, this._encrypt, this._key, this._iv, this._autoPadding);
    return this._handle;
  }
  setAutoPadding(on) { this._autoPadding = on !== false; return this; }
  setAAD(aad) { call('cipherAad', this._open(), latin1(toBuffer(aad, undefined, 'buffer'))); return this; }
  setAuthTag(tag) { this._authTag = latin1(toBuffer(tag, undefined, 'buffer')); return this; }
  getAuthTag() {
    if (this._tag === undefined) throw new Error('Attempting to get auth tag in unsupported state');
    return this._tag;
  }
  _out(buf, encoding) {
    if (encoding && encoding !== 'buffer' && (encoding === 'utf8' || encoding === 'utf-8')) {
      if (!this._decoder) this._decoder = new (require('string_decoder').StringDecoder)('utf8');
      return this._decoder.write(buf);
    }
    return out(buf, encoding);
  }
  update(data, inputEncoding, outputEncoding) {
    const input = latin1(toBuffer(data, inputEncoding));
    return this._out(fromLatin1(call('cipherUpdate', this._open(), input)), outputEncoding);
  }
  final(outputEncoding) {
    let result = call('cipherFinal', this._open(), this._encrypt ? null : (this._authTag === undefined ? null : this._authTag));
    if (this._gcm && this._encrypt) {
      this._tag = fromLatin1(result.slice(result.length - 16)).slice(0, this._tagLength);
      result = result.slice(0, result.length - 16);
    }
    const buf = fromLatin1(result);
    if (this._decoder && (outputEncoding === 'utf8' || outputEncoding === 'utf-8')) return this._decoder.write(buf) + this._decoder.end();
    return out(buf, outputEncoding);
  }
}
function createCipheriv(algorithm, key, iv, options) { return new Cipher(algorithm, key, iv, options, true); }
function createDecipheriv(algorithm, key, iv, options) { return new Cipher(algorithm, key, iv, options, false); }
// The deprecated password forms derive key and IV with OpenSSL's EVP_BytesToKey (MD5, one round).
function bytesToKey(algorithm, password) {
  const m = /aes-?(128|192|256)/i.exec(String(algorithm));
  if (!m) throw new Error('Unknown cipher: ' + algorithm + ' (Thimble functions have AES ciphers)');
  const keyLen = KEY_BYTES[m[1]], ivLen = /ecb/i.test(algorithm) ? 0 : 16;
  const pw = latin1(toBuffer(password, undefined, 'password'));
  let material = '', prev = '';
  while (material.length < keyLen + ivLen) { prev = call('hashBytes', 'md5', prev + pw); material += prev; }
  return { key: fromLatin1(material.slice(0, keyLen)), iv: fromLatin1(material.slice(keyLen, keyLen + ivLen)) };
}
function createCipher(algorithm, password) { const d = bytesToKey(algorithm, password); return new Cipher(algorithm, d.key, d.iv, undefined, true); }
function createDecipher(algorithm, password) { const d = bytesToKey(algorithm, password); return new Cipher(algorithm, d.key, d.iv, undefined, false); }

// ---------------------------------------------------------------- signatures
const constants = Object.freeze({ RSA_PKCS1_PADDING: 1, RSA_NO_PADDING: 3, RSA_PKCS1_OAEP_PADDING: 4, RSA_PKCS1_PSS_PADDING: 6,
  RSA_PSS_SALTLEN_DIGEST: -1, RSA_PSS_SALTLEN_MAX_SIGN: -2, RSA_PSS_SALTLEN_AUTO: -2 });
function paddingOf(key) {
  return key !== null && typeof key === 'object' && !(key instanceof KeyObject) && key.padding === constants.RSA_PKCS1_PSS_PADDING ? 'pss' : null;
}
class Sign {
  constructor(algorithm) { this._algorithm = String(algorithm); this._chunks = []; call('hashBytes', this._algorithm, ''); }
  update(data, encoding) { this._chunks.push(latin1(toBuffer(data, encoding))); return this; }
  sign(key, encoding) {
    return out(fromLatin1(call('signBytes', this._algorithm, this._chunks.join(''), asymmetric(key), paddingOf(key))), encoding);
  }
  verify(key, signature, encoding) {
    return call('verifyBytes', this._algorithm, this._chunks.join(''), asymmetric(key), latin1(toBuffer(signature, encoding, 'signature')), paddingOf(key));
  }
}
const createSign = (algorithm) => new Sign(algorithm);
const createVerify = (algorithm) => new Sign(algorithm);
function sign(algorithm, data, key) { return new Sign(algorithm || 'sha256').update(data).sign(key); }
function verify(algorithm, data, key, signature) { return new Sign(algorithm || 'sha256').update(data).verify(key, signature); }

function timingSafeEqual(a, b) {
  const x = toBuffer(a, undefined, 'buf1'), y = toBuffer(b, undefined, 'buf2');
  if (x.length !== y.length) {
    const e = new RangeError('Input buffers must have the same byte length');
    e.code = 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH';
    throw e;
  }
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

function notAvailable(name, why) {
  return function () {
    const e = new Error('crypto.' + name + ' is not available in Thimble functions' + (why ? ' (' + why + ')' : ''));
    e.code = 'ERR_THIMBLE_UNAVAILABLE';
    throw e;
  };
}

module.exports = {
  createHash, createHmac, Hash, Hmac,
  randomBytes, pseudoRandomBytes: randomBytes, prng: randomBytes, rng: randomBytes, randomFillSync, randomFill, randomInt, randomUUID,
  pbkdf2, pbkdf2Sync,
  createCipheriv, createDecipheriv, createCipher, createDecipher, Cipher, Decipher: Cipher,
  createSign, createVerify, Sign, Verify: Sign, sign, verify,
  KeyObject, createSecretKey, createPublicKey, createPrivateKey,
  timingSafeEqual, constants,
  getHashes() { return ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512-224', 'sha512-256', 'sha3-256', 'sha3-384', 'sha3-512', 'RSA-SHA256', 'RSA-SHA512']; },
  getCiphers() { return ['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc', 'aes-128-ecb', 'aes-256-ecb', 'aes-128-ctr', 'aes-256-ctr', 'aes-128-gcm', 'aes-256-gcm', 'aes-128-cfb', 'aes-256-cfb', 'aes-128-ofb', 'aes-256-ofb']; },
  getCurves() { return ['prime256v1', 'secp384r1', 'secp521r1']; },
  createDiffieHellman: notAvailable('createDiffieHellman', 'App Services did not offer it either'),
  createDiffieHellmanGroup: notAvailable('createDiffieHellmanGroup', 'App Services did not offer it either'),
  getDiffieHellman: notAvailable('getDiffieHellman', 'App Services did not offer it either'),
  createECDH: notAvailable('createECDH', 'App Services did not offer it either'),
  scrypt: notAvailable('scrypt'), scryptSync: notAvailable('scryptSync'),
  generateKeyPair: notAvailable('generateKeyPair'), generateKeyPairSync: notAvailable('generateKeyPairSync'),
  publicEncrypt: notAvailable('publicEncrypt'), privateDecrypt: notAvailable('privateDecrypt'),
  privateEncrypt: notAvailable('privateEncrypt'), publicDecrypt: notAvailable('publicDecrypt')
};
