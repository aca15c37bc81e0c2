'use strict';
// Node's querystring: the npm "querystring-es3" package (MIT, vendored), plus escape/unescape.
const qs = require('querystring-es3');
module.exports = {
  decode: qs.decode, parse: qs.parse, encode: qs.encode, stringify: qs.stringify,
  escape(s) { return encodeURIComponent(String(s)).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()); },
  unescape(s) { try { return decodeURIComponent(String(s)); } catch (e) { return unescape(String(s)); } }
};
