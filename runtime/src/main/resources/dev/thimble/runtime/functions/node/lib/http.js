'use strict';
// Node's http client, sending through the same door as context.http (the host's HTTP client, its limits
// and its logs): a request's body is collected until end(), then sent as one call, and the response
// streams out of an IncomingMessage. There is no server: createServer and Server are refused by name.
// Redirects are not followed here (as in Node); packages such as follow-redirects do that themselves.
const EventEmitter = require('events');
const { Writable, Readable } = require('stream');
const { Buffer } = require('buffer');
const legacyUrl = require('url');

const STATUS_CODES = {
  100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information',
  204: 'No Content', 205: 'Reset Content', 206: 'Partial Content', 300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found',
  303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized',
  402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 408: 'Request Timeout',
  409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Payload Too Large', 414: 'URI Too Long',
  415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 417: 'Expectation Failed', 418: "I'm a Teapot", 422: 'Unprocessable Entity',
  425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons', 500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout', 505: 'HTTP Version Not Supported'
};
const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
const SENDABLE = { GET: 'get', POST: 'post', PUT: 'put', PATCH: 'patch', DELETE: 'delete', HEAD: 'head' };
// Headers the host's HTTP client sets itself (and refuses from callers).
const HOST_SET = new Set(['connection', 'content-length', 'expect', 'host', 'upgrade', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'te', 'trailer']);

class Agent extends EventEmitter {
  constructor(options) {
    super();
    this.options = Object.assign({}, options);
    this.keepAlive = !!this.options.keepAlive;
    this.maxSockets = this.options.maxSockets || Infinity;
    this.maxFreeSockets = this.options.maxFreeSockets || 256;
    this.sockets = {};
    this.freeSockets = {};
    this.requests = {};
    this.defaultPort = 80;
    this.protocol = 'http:';
  }
  destroy() {}
}
const globalAgent = new Agent();

function connectionError(message) {
  const codes = [[/connection refused|unreachable/i, 'ECONNREFUSED'], [/unknown host/i, 'ENOTFOUND'],
    [/in time|did not answer|did not send/i, 'ETIMEDOUT'], [/larger than/i, 'ERR_THIMBLE_RESPONSE_TOO_LARGE']];
  const e = new Error(message);
  for (const [re, code] of codes) if (re.test(message)) { e.code = code; break; }
  if (!e.code) e.code = 'ECONNRESET';
  return e;
}

class IncomingMessage extends Readable {
  constructor(reply, request) {
    super();
    this.statusCode = reply.statusCode;
    this.statusMessage = STATUS_CODES[reply.statusCode] || String(reply.status || '').replace(/^\d+\s*/, '');
    this.httpVersion = '1.1';
    this.httpVersionMajor = 1;
    this.httpVersionMinor = 1;
    this.headers = {};
    this.rawHeaders = [];
    this.trailers = {};
    this.rawTrailers = [];
    this.url = '';
    this.method = null;
    this.complete = false;
    this.aborted = false;
    this.req = request;
    this.socket = this.connection = null;
    const headers = reply.headers || {};
    for (const name of Object.keys(headers)) {
      const values = Array.isArray(headers[name]) ? headers[name].map(String) : [String(headers[name])];
      const lower = name.toLowerCase();
      for (const v of values) this.rawHeaders.push(name, v);
      this.headers[lower] = lower === 'set-cookie' ? values : values.join(lower === 'cookie' ? '; ' : ', ');
    }
    this._body = reply.body ? Buffer.from(reply.body.toBase64(), 'base64') : Buffer.alloc(0);
  }
  _read() {
    if (this._body !== null) {
      const body = this._body;
      this._body = null;
      if (body.length > 0) this.push(body);
      this.complete = true;
      this.push(null);
    }
  }
  setTimeout(ms, callback) { if (callback) this.once('timeout', callback); return this; }
}

function headerValues(value) { return Array.isArray(value) ? value.map(String) : [String(value)]; }

class ClientRequest extends Writable {
  constructor(protocol, input, options, callback) {
    super();
    if (typeof input === 'string' || input instanceof legacyUrl.URL) {
      const u = new legacyUrl.URL(String(input));
      input = { protocol: u.protocol, hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port, path: u.pathname + u.search,
        auth: u.username || u.password ? decodeURIComponent(u.username) + ':' + decodeURIComponent(u.password) : undefined };
    } else if (typeof options === 'function' || options === undefined) {
      callback = options;
      options = undefined;
    }
    if (typeof options === 'function') { callback = options; options = undefined; }
    const o = Object.assign({}, input, options);
    this.protocol = o.protocol || protocol;
    if (this.protocol !== protocol) {
      const e = new TypeError('Protocol "' + this.protocol + '" not supported. Expected "' + protocol + '"');
      e.code = 'ERR_INVALID_PROTOCOL';
      throw e;
    }
    this.method = String(o.method || 'GET').toUpperCase();
    this.host = o.hostname || (o.host ? String(o.host).replace(/:\d+$/, '') : 'localhost');
    this.port = o.port || o.defaultPort || (protocol === 'https:' ? 443 : 80);
    this.path = o.path || '/';
    this.agent = o.agent;
    this.finished = false;
    this.aborted = false;
    this.reusedSocket = false;
    this.maxHeadersCount = null;
    this._headers = {};
    this._chunks = [];
    this._timeout = o.timeout;
    this._timer = null;
    this._done = false;
    if (o.headers) {
      const entries = Array.isArray(o.headers) ? pairs(o.headers) : Object.entries(o.headers);
      for (const [k, v] of entries) if (v !== undefined) this.setHeader(k, v);
    }
    if (o.auth && !this.hasHeader('authorization')) this.setHeader('Authorization', 'Basic ' + Buffer.from(String(o.auth)).toString('base64'));
    if (typeof callback === 'function') this.once('response', callback);
    if (o.timeout) this.setTimeout(o.timeout);
    if (o.signal) {
      if (o.signal.aborted) process.nextTick(() => this.destroy(abortError()));
      else o.signal.addEventListener('abort', () => this.destroy(abortError()), { once: true });
    }
  }
  setHeader(name, value) { this._headers[String(name).toLowerCase()] = [String(name), value]; return this; }
  getHeader(name) { const h = this._headers[String(name).toLowerCase()]; return h === undefined ? undefined : h[1]; }
  getHeaders() { const out = {}; for (const k of Object.keys(this._headers)) out[k] = this._headers[k][1]; return out; }
  getHeaderNames() { return Object.keys(this._headers); }
  getRawHeaderNames() { return Object.values(this._headers).map((h) => h[0]); }
  hasHeader(name) { return String(name).toLowerCase() in this._headers; }
  removeHeader(name) { delete this._headers[String(name).toLowerCase()]; }
  flushHeaders() {}
  setNoDelay() {}
  setSocketKeepAlive() {}
  setTimeout(ms, callback) {
    if (callback) this.once('timeout', callback);
    const { setTimeout: set, clearTimeout: clear } = thimble.timers;
    if (this._timer) clear(this._timer);
    this._timer = ms > 0 ? set(() => { this._timer = null; if (!this._done) this.emit('timeout'); }, ms) : null;
    return this;
  }
  _write(chunk, encoding, callback) {
    this._chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk));
    callback();
  }
  _final(callback) {
    this.finished = true;
    callback();
    this._send();
  }
  abort() {
    if (this.aborted) return;
    this.aborted = true;
    process.nextTick(() => this.emit('abort'));
    this.destroy();
  }
  _destroy(error, callback) {
    this._done = true;
    if (this._timer) { thimble.timers.clearTimeout(this._timer); this._timer = null; }
    if (this.res && !this.res.complete) this.res.destroy(error || undefined);
    callback(error);
  }
  _send() {
    const action = SENDABLE[this.method];
    if (!action) {
      this.destroy(new Error('http: method ' + this.method + ' cannot be sent from Thimble functions (context.http sends GET, POST, PUT, PATCH, DELETE and HEAD)'));
      return;
    }
    const headers = {};
    for (const [name, value] of Object.values(this._headers)) {
      if (!HOST_SET.has(name.toLowerCase())) headers[name] = headerValues(value);
    }
    const host = this.host.includes(':') ? '[' + this.host + ']' : this.host;
    const defaultPort = this.protocol === 'https:' ? 443 : 80;
    const url = this.protocol + '//' + host + (String(this.port) === String(defaultPort) ? '' : ':' + this.port) + this.path;
    const args = { url, headers, followRedirects: false };
    const body = Buffer.concat(this._chunks);
    if (body.length > 0 || (action !== 'get' && action !== 'head' && action !== 'delete')) args.body = thimble.binary(body.toString('base64'));
    thimble.http(action, args).then((reply) => {
      if (this._done) return;
      this._done = true;
      if (this._timer) { thimble.timers.clearTimeout(this._timer); this._timer = null; }
      const res = new IncomingMessage(reply, this);
      this.res = res;
      if (this.listenerCount('response') === 0) res.resume();
      this.emit('response', res);
      this.emit('close');
    }, (error) => {
      if (this._done) return;
      this.destroy(connectionError(error && error.message ? error.message : String(error)));
    });
  }
}
function pairs(flat) { const out = []; for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i], flat[i + 1]]); return out; }
function abortError() { const e = new Error('The operation was aborted'); e.name = 'AbortError'; e.code = 'ABORT_ERR'; return e; }

function refusedServer(name) {
  return function () {
    const e = new Error(name + ' is not available in Thimble functions: they cannot listen for connections (use an HTTPS endpoint or a webhook)');
    e.code = 'ERR_THIMBLE_UNAVAILABLE';
    throw e;
  };
}

function client(protocol, agent) {
  const request = (input, options, callback) => new ClientRequest(protocol, input, options, callback);
  const get = (input, options, callback) => { const req = request(input, options, callback); req.end(); return req; };
  return {
    request, get, Agent, globalAgent: agent, ClientRequest, IncomingMessage, STATUS_CODES, METHODS,
    createServer: refusedServer(protocol.slice(0, -1) + '.createServer'), Server: refusedServer(protocol.slice(0, -1) + '.Server'),
    OutgoingMessage: Writable, ServerResponse: refusedServer(protocol.slice(0, -1) + '.ServerResponse'),
    maxHeaderSize: 8192, validateHeaderName() {}, validateHeaderValue() {}
  };
}
module.exports = client('http:', globalAgent);
Object.defineProperty(module.exports, "client", { value: client, enumerable: false });
