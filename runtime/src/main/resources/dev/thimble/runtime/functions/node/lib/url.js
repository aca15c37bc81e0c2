'use strict';
// Node's url: the legacy parse/format/resolve of the npm "url" package 0.11 (MIT, vendored), and the
// WHATWG URL and URLSearchParams classes written for Thimble (Node 10 had both as globals too).
const legacy = require('url/');
const punycode = require('punycode');

const SPECIAL = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'ftp:': '21', 'file:': '' };
const hex = (c) => '%' + (c < 16 ? '0' : '') + c.toString(16).toUpperCase();
function encodeSet(s, extra) {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c <= 0x20 || c >= 0x7f || extra.indexOf(ch) !== -1) {
      if (ch === '%' ) { out += ch; continue; }
      for (const b of Buffer.from(ch, 'utf8')) out += hex(b);
    } else out += ch;
  }
  return out;
}
const PATH_SET = '"#<>?`{}';
const QUERY_SET = '"#<>';
const SPECIAL_QUERY_SET = '"#<>\'';
const FRAGMENT_SET = '"<>`';
const USERINFO_SET = '"#<>?`{}/:;=@[\\]^|';

function invalid(input) {
  const e = new TypeError('Invalid URL: ' + input);
  e.code = 'ERR_INVALID_URL';
  e.input = input;
  return e;
}
function normalizePath(path, special) {
  const segments = path.split(special ? /[/\\]/ : /\//);
  const out = [];
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i];
    const lower = seg.toLowerCase();
    if (seg === '..' || lower === '.%2e' || lower === '%2e.' || lower === '%2e%2e') {
      out.pop();
      if (i === segments.length - 1) out.push('');
    } else if (seg === '.' || lower === '%2e') {
      if (i === segments.length - 1) out.push('');
    } else out.push(seg);
  }
  return '/' + out.join('/');
}
function parseHost(host, special, input) {
  if (host.startsWith('[')) {
    if (!host.endsWith(']')) throw invalid(input);
    return host.toLowerCase();
  }
  if (!special) return encodeSet(host, '');
  let h;
  try { h = decodeURIComponent(host); } catch (e) { throw invalid(input); }
  h = punycode.toASCII(h.toLowerCase());
  if (h === '' || /[\s#%/:<>?@[\\\]^|]/.test(h)) throw invalid(input);
  return h;
}

function parse(input, base) {
  let s = String(input).replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  const u = { protocol: '', username: '', password: '', hostname: '', port: '', pathname: '', search: '', hash: '', opaque: false };
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(s);
  let rest;
  if (m) {
    u.protocol = m[1].toLowerCase() + ':';
    rest = s.slice(m[0].length);
    if (base && SPECIAL[u.protocol] !== undefined && base.protocol === u.protocol && !/^[/\\]/.test(rest)) {
      return relative(rest, base, input);
    }
  } else {
    if (!base) throw invalid(input);
    return relative(s, base, input);
  }
  const special = SPECIAL[u.protocol] !== undefined;
  const hashAt = rest.indexOf('#');
  if (hashAt !== -1) { u.hash = fragment(rest.slice(hashAt + 1)); rest = rest.slice(0, hashAt); }
  const queryAt = rest.indexOf('?');
  if (queryAt !== -1) { u.search = query(rest.slice(queryAt + 1), special); rest = rest.slice(0, queryAt); }
  if (special ? /^[/\\]{2}/.test(rest) || u.protocol !== 'file:' : rest.startsWith('//')) {
    rest = rest.replace(special ? /^[/\\]*/ : /^\/\//, '');
    const end = rest.search(special ? /[/\\]/ : /\//);
    const authority = end === -1 ? rest : rest.slice(0, end);
    rest = end === -1 ? '' : rest.slice(end);
    authorityInto(u, authority, special, input);
    u.pathname = special ? normalizePath(rest || '/', true) : rest ? normalizePath(rest, false) : '';
    if (special && u.hostname === '' && u.protocol !== 'file:') throw invalid(input);
  } else if (special || rest.startsWith('/')) {
    u.pathname = normalizePath(rest.startsWith('/') ? rest : '/' + rest, special);
  } else {
    u.opaque = true;
    u.pathname = encodeSet(rest, '');
  }
  if (!u.opaque) u.pathname = encodeSet(u.pathname, PATH_SET);
  return u;
}
function authorityInto(u, authority, special, input) {
  const at = authority.lastIndexOf('@');
  if (at !== -1) {
    const info = authority.slice(0, at);
    authority = authority.slice(at + 1);
    const colon = info.indexOf(':');
    u.username = encodeSet(colon === -1 ? info : info.slice(0, colon), USERINFO_SET);
    u.password = colon === -1 ? '' : encodeSet(info.slice(colon + 1), USERINFO_SET);
  }
  const portMatch = /:(\d*)$/.exec(authority);
  let host = authority;
  if (portMatch && !authority.endsWith(']')) {
    host = authority.slice(0, portMatch.index);
    if (portMatch[1] !== '') {
      const port = parseInt(portMatch[1], 10);
      if (port > 65535) throw invalid(input);
      u.port = SPECIAL[u.protocol] === String(port) ? '' : String(port);
    }
  } else if (/:[^\]]*$/.test(authority) && !authority.startsWith('[')) throw invalid(input);
  u.hostname = host === '' ? '' : parseHost(host, special, input);
}
function query(q, special) { return '?' + encodeSet(q, special ? SPECIAL_QUERY_SET : QUERY_SET); }
function fragment(f) { return '#' + encodeSet(f, FRAGMENT_SET); }
function relative(s, base, input) {
  const u = Object.assign({}, base);
  const special = SPECIAL[u.protocol] !== undefined;
  if (base.opaque) {
    if (s.startsWith('#')) { u.hash = fragment(s.slice(1)); return u; }
    throw invalid(input);
  }
  if (special ? /^[/\\]{2}/.test(s) : s.startsWith('//')) return parse(u.protocol + s);
  u.hash = '';
  const hashAt = s.indexOf('#');
  if (hashAt !== -1) { u.hash = fragment(s.slice(hashAt + 1)); s = s.slice(0, hashAt); }
  if (s === '') return u;
  const queryAt = s.indexOf('?');
  let path = s;
  if (queryAt !== -1) { u.search = query(s.slice(queryAt + 1), special); path = s.slice(0, queryAt); }
  else u.search = '';
  if (path === '') return u;
  if (/^[/\\]/.test(path) && (special || path.startsWith('/'))) u.pathname = normalizePath(path, special);
  else u.pathname = normalizePath(base.pathname.slice(0, base.pathname.lastIndexOf('/') + 1) + path, special);
  u.pathname = encodeSet(u.pathname, PATH_SET);
  return u;
}

const STATE = Symbol('url');
class URL {
  constructor(input, base) {
    const b = base === undefined ? null : (base instanceof URL ? base[STATE] : parse(String(base)));
    this[STATE] = parse(input instanceof URL ? input.href : String(input), b);
    this._params = null;
  }
  get href() {
    const u = this[STATE];
    let out = u.protocol;
    if (!u.opaque && (u.hostname !== '' || u.protocol === 'file:' || SPECIAL[u.protocol] !== undefined)) {
      out += '//';
      if (u.username || u.password) out += u.username + (u.password ? ':' + u.password : '') + '@';
      out += u.hostname + (u.port ? ':' + u.port : '');
    }
    return out + u.pathname + u.search + u.hash;
  }
  set href(v) { this[STATE] = parse(String(v)); if (this._params) this._params._reset(this[STATE].search); }
  get origin() {
    const u = this[STATE];
    if (SPECIAL[u.protocol] === undefined || u.protocol === 'file:') return 'null';
    return u.protocol + '//' + u.hostname + (u.port ? ':' + u.port : '');
  }
  get protocol() { return this[STATE].protocol; }
  set protocol(v) {
    const p = String(v).replace(/:.*$/, '').toLowerCase();
    if (/^[a-z][a-z0-9+.-]*$/.test(p) && (SPECIAL[p + ':'] !== undefined) === (SPECIAL[this[STATE].protocol] !== undefined)) {
      this[STATE].protocol = p + ':';
      if (SPECIAL[p + ':'] === this[STATE].port) this[STATE].port = '';
    }
  }
  get username() { return this[STATE].username; }
  set username(v) { this[STATE].username = encodeSet(String(v), USERINFO_SET); }
  get password() { return this[STATE].password; }
  set password(v) { this[STATE].password = encodeSet(String(v), USERINFO_SET); }
  get host() { const u = this[STATE]; return u.hostname + (u.port ? ':' + u.port : ''); }
  set host(v) {
    const u = this[STATE];
    if (u.opaque) return;
    const copy = Object.assign({}, u);
    try { authorityInto(copy, String(v), SPECIAL[u.protocol] !== undefined, v); u.hostname = copy.hostname; if (/:\d+$/.test(String(v))) u.port = copy.port; } catch (e) { /* ignored, as in browsers */ }
  }
  get hostname() { return this[STATE].hostname; }
  set hostname(v) { const u = this[STATE]; if (u.opaque) return; try { u.hostname = parseHost(String(v), SPECIAL[u.protocol] !== undefined, v); } catch (e) { /* ignored */ } }
  get port() { return this[STATE].port; }
  set port(v) {
    const u = this[STATE];
    const s = String(v);
    if (s === '') { u.port = ''; return; }
    const m = /^\d+/.exec(s);
    if (m && +m[0] <= 65535) u.port = SPECIAL[u.protocol] === String(+m[0]) ? '' : String(+m[0]);
  }
  get pathname() { return this[STATE].pathname; }
  set pathname(v) {
    const u = this[STATE];
    if (u.opaque) return;
    const special = SPECIAL[u.protocol] !== undefined;
    const p = String(v);
    u.pathname = encodeSet(normalizePath(p.startsWith('/') || (special && p.startsWith('\\')) ? p : '/' + p, special), PATH_SET);
  }
  get search() { return this[STATE].search.length <= 1 ? '' : this[STATE].search; }
  set search(v) {
    const s = String(v).replace(/^\?/, '');
    this[STATE].search = s === '' ? '' : query(s, SPECIAL[this[STATE].protocol] !== undefined);
    if (this._params) this._params._reset(this[STATE].search);
  }
  get searchParams() {
    if (!this._params) {
      this._params = new URLSearchParams(this[STATE].search);
      this._params._url = this;
    }
    return this._params;
  }
  get hash() { return this[STATE].hash.length <= 1 ? '' : this[STATE].hash; }
  set hash(v) { const s = String(v).replace(/^#/, ''); this[STATE].hash = s === '' ? '' : fragment(s); }
  toString() { return this.href; }
  toJSON() { return this.href; }
  static canParse(input, base) { try { new URL(input, base); return true; } catch (e) { return false; } }
}
Object.defineProperty(URL.prototype, Symbol.toStringTag, { value: 'URL' });
for (const name of ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'searchParams', 'hash']) {
  Object.defineProperty(URL.prototype, name, Object.assign(Object.getOwnPropertyDescriptor(URL.prototype, name), { enumerable: true }));
}

function formEncode(s) {
  let out = '';
  for (const b of Buffer.from(String(s), 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9*\-._]/.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else out += hex(b);
  }
  return out;
}
function formDecode(s) {
  const bytes = [];
  const str = s.replace(/\+/g, ' ');
  for (let i = 0; i < str.length; i++) {
    if (str[i] === '%' && /^[0-9a-fA-F]{2}$/.test(str.slice(i + 1, i + 3))) { bytes.push(parseInt(str.slice(i + 1, i + 3), 16)); i += 2; }
    else for (const b of Buffer.from(str[i], 'utf8')) bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}
class URLSearchParams {
  constructor(init) {
    this._list = [];
    this._url = null;
    if (init === undefined || init === null) return;
    if (init instanceof URLSearchParams) { this._list = init._list.map((p) => p.slice()); return; }
    if (typeof init === 'object' && typeof init[Symbol.iterator] === 'function') {
      for (const pair of init) {
        const p = Array.from(pair);
        if (p.length !== 2) throw new TypeError('Each query pair must be an iterable [name, value] tuple');
        this._list.push([String(p[0]), String(p[1])]);
      }
      return;
    }
    if (typeof init === 'object') {
      for (const k of Object.keys(init)) this._list.push([k, String(init[k])]);
      return;
    }
    this._reset(String(init));
  }
  _reset(query) {
    this._list = [];
    const q = query.replace(/^\?/, '');
    if (q === '') return;
    for (const part of q.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      this._list.push(eq === -1 ? [formDecode(part), ''] : [formDecode(part.slice(0, eq)), formDecode(part.slice(eq + 1))]);
    }
  }
  _update() { if (this._url) { const s = this.toString(); this._url[STATE].search = s === '' ? '' : '?' + s; } }
  get size() { return this._list.length; }
  append(name, value) { this._list.push([String(name), String(value)]); this._update(); }
  delete(name, value) {
    name = String(name);
    this._list = this._list.filter((p) => !(p[0] === name && (value === undefined || p[1] === String(value))));
    this._update();
  }
  get(name) { const p = this._list.find((x) => x[0] === String(name)); return p ? p[1] : null; }
  getAll(name) { return this._list.filter((x) => x[0] === String(name)).map((x) => x[1]); }
  has(name, value) { return this._list.some((x) => x[0] === String(name) && (value === undefined || x[1] === String(value))); }
  set(name, value) {
    name = String(name);
    const i = this._list.findIndex((x) => x[0] === name);
    if (i === -1) this._list.push([name, String(value)]);
    else { this._list[i][1] = String(value); this._list = this._list.filter((x, j) => j <= i || x[0] !== name); }
    this._update();
  }
  sort() {
    this._list = this._list.map((p, i) => [p, i]).sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1])).map((x) => x[0]);
    this._update();
  }
  forEach(fn, thisArg) { for (const [k, v] of this._list) fn.call(thisArg, v, k, this); }
  keys() { return this._list.map((p) => p[0])[Symbol.iterator](); }
  values() { return this._list.map((p) => p[1])[Symbol.iterator](); }
  entries() { return this._list.map((p) => [p[0], p[1]])[Symbol.iterator](); }
  [Symbol.iterator]() { return this.entries(); }
  toString() { return this._list.map((p) => formEncode(p[0]) + '=' + formEncode(p[1])).join('&'); }
}
Object.defineProperty(URLSearchParams.prototype, Symbol.toStringTag, { value: 'URLSearchParams' });

function fileURLToPath(url) {
  const u = typeof url === 'string' ? new URL(url) : url;
  if (u.protocol !== 'file:') { const e = new TypeError('The URL must be of scheme file'); e.code = 'ERR_INVALID_URL_SCHEME'; throw e; }
  return decodeURIComponent(u.pathname);
}
function pathToFileURL(path) { return new URL('file://' + encodeSet(require('path').resolve(String(path)), PATH_SET + '%')); }

module.exports = {
  URL, URLSearchParams,
  parse: legacy.parse, format(u, options) { return u instanceof URL ? u.href : legacy.format(u, options); },
  resolve: legacy.resolve, resolveObject: legacy.resolveObject, Url: legacy.Url,
  domainToASCII(d) { try { return punycode.toASCII(String(d).toLowerCase()); } catch (e) { return ''; } },
  domainToUnicode(d) { try { return punycode.toUnicode(String(d).toLowerCase()); } catch (e) { return ''; } },
  fileURLToPath, pathToFileURL
};
