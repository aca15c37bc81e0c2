'use strict';
const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
exports.isIP = function isIP(s) {
  s = String(s);
  if (V4.test(s)) return 4;
  if (/^[0-9a-fA-F:.]+$/.test(s) && s.includes(':') && (s.match(/::/g) || []).length <= 1) return 6;
  return 0;
};
